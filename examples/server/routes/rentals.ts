import { and, eq } from 'drizzle-orm';
import {
  AvailabilityQuery,
  AvailabilityResult,
  CategoryTree,
  ProblemCode,
  RentalOrder,
  RentalOrderCreate,
  RentalQuote,
  RentalQuoteRequest,
} from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import type { Auth } from '../http/context.js';
import { actorOf } from '../http/actor.js';
import { isStaff } from '../http/auth.js';
import { ApiError, notFound } from '../http/problem.js';
import { schema } from '../db/index.js';
import type { Services } from '../services.js';
import { customerFor } from './reservations.js';
import {
  availability,
  availabilityMonth,
  categoryTree,
  createRental,
  getRental,
  quoteRental,
} from '../domain/rentals.js';

/** The customer a quote is for, if any: the token's, or `customerId` with a secret key (checked to be this store's). */
async function optionalCustomer(
  services: Services,
  auth: Auth,
  customerId: string | undefined,
): Promise<string | undefined> {
  if (auth.keyKind === 'publishable') {
    if (customerId && customerId !== auth.userId) {
      throw new ApiError(403, ProblemCode.forbidden, 'A customer token acts only for its own customer.');
    }
    return auth.userId;
  }
  const id = customerId ?? auth.userId;
  if (!id) return undefined;
  const [user] = await services.db
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(and(eq(schema.users.storeId, auth.storeId), eq(schema.users.id, id)));
  if (!user) throw notFound('customer');
  return id;
}

export function rentalRoutes(router: Router): void {
  router
    .add(
      {
        method: 'get',
        path: '/categories',
        operationId: 'listCategories',
        summary: 'The category tree',
        description: 'Every category of the store as a tree: roots with nested `children`.',
        tag: 'Rentals',
        access: 'key',
        success: { status: 200, schema: CategoryTree, description: 'The category tree.' },
      },
      async ({ services, auth }) => categoryTree(services.db, auth.storeId),
    )
    .add(
      {
        method: 'get',
        path: '/products/:id/availability',
        operationId: 'getProductAvailability',
        summary: 'Free units of a rentable product',
        description:
          'With `start` and `end`: units free for the whole half-open period `[start, end)`. With `month` ' +
          '(`YYYY-MM`): free units per calendar day of that month in the store time zone. Units in maintenance ' +
          'or retired are never counted.',
        tag: 'Rentals',
        access: 'key',
        query: AvailabilityQuery,
        success: { status: 200, schema: AvailabilityResult, description: 'Free units.' },
        errors: [404, 422],
      },
      async ({ services, auth, params, query }) => {
        if (query.month) {
          if (query.start || query.end) {
            throw new ApiError(
              400,
              ProblemCode.validationFailed,
              'Send either `month` or `start` and `end`.',
            );
          }
          return availabilityMonth(services.db, auth.storeId, params.id!, query.month);
        }
        if (!query.start || !query.end) {
          throw new ApiError(400, ProblemCode.validationFailed, 'Send `start` and `end`, or `month`.', {
            errors: [
              ...(query.start ? [] : [{ path: 'query.start', message: 'Required', code: 'invalid_type' }]),
              ...(query.end ? [] : [{ path: 'query.end', message: 'Required', code: 'invalid_type' }]),
            ],
          });
        }
        return availability(
          services.db,
          auth.storeId,
          params.id!,
          new Date(query.start),
          new Date(query.end),
        );
      },
    )
    .add(
      {
        method: 'post',
        path: '/rental-quotes',
        operationId: 'createRentalQuote',
        summary: 'Price a rental',
        description:
          'Prices items for a period: units = ceil(duration / unit length) per line, then the subscription ' +
          'discount, the promo code and loyalty points. Integers in minor units; nothing is held or stored.',
        tag: 'Rentals',
        access: 'key',
        body: RentalQuoteRequest,
        success: { status: 200, schema: RentalQuote, description: 'The itemised quote.' },
        errors: [404, 422],
      },
      async ({ services, auth, body }) =>
        quoteRental(
          services.db,
          auth.storeId,
          await optionalCustomer(services, auth, body.customerId),
          body,
          services.clock.now(),
        ),
    )
    .add(
      {
        method: 'post',
        path: '/rentals',
        operationId: 'createRental',
        summary: 'Rent units',
        description:
          'Assigns free units for the period and holds them, charging exactly the quote of the same request; ' +
          'issues the invoice. 409 `unit_unavailable` when not enough units are free. Send an `Idempotency-Key`.',
        tag: 'Rentals',
        access: 'customer',
        body: RentalOrderCreate,
        success: { status: 201, schema: RentalOrder, description: 'The order with its units and invoice.' },
        errors: [404, 409, 422],
      },
      async ({ c, services, auth, body }) => {
        const customerId = await customerFor(services, auth, body.customerId);
        return createRental(services.db, actorOf(c, auth), customerId, body, services.clock.now());
      },
    )
    .add(
      {
        method: 'get',
        path: '/rentals/:id',
        operationId: 'getRental',
        summary: 'Retrieve a rental order',
        tag: 'Rentals',
        access: 'customer',
        success: { status: 200, schema: RentalOrder, description: 'The order.' },
        errors: [404],
      },
      async ({ services, auth, params }) =>
        getRental(
          services.db,
          auth.storeId,
          params.id!,
          (await isStaff(services, auth)) ? undefined : auth.userId,
        ),
    );
}
