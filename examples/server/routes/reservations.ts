import {
  CheckIn,
  CheckInCreate,
  CustomerDropState,
  ProblemCode,
  Reservation,
  ReservationCreate,
  ReservationList,
  ReservationListQuery,
} from '../../../src/schemas/index.js';
import type { HandlerInput, Router } from '../http/router.js';
import type { Auth } from '../http/context.js';
import type { Services } from '../services.js';
import { actorOf } from '../http/actor.js';
import { isStaff, ownerScope } from '../http/auth.js';
import { ApiError, notFound } from '../http/problem.js';
import { schema } from '../db/index.js';
import { and, eq } from 'drizzle-orm';
import {
  cancelReservation,
  checkIn,
  confirmReservation,
  getReservation,
  listReservations,
  refuseIfKnownFull,
  reserve,
  serializeReservation,
} from '../domain/reservations.js';
import { settleRefunds } from '../domain/payments.js';
import { customerDropState } from '../domain/customer-state.js';
import { reservationTicket, withUsedTicket } from '../domain/desk.js';

/** The customer a secret-key call acts for (`customerId`), or the customer of the token. */
export async function customerFor(
  services: Services,
  auth: Auth,
  customerId: string | undefined,
): Promise<string> {
  if (auth.keyKind === 'publishable') {
    if (customerId && customerId !== auth.userId) {
      throw new ApiError(403, ProblemCode.forbidden, 'A customer token acts only for its own customer.');
    }
    return auth.userId!;
  }
  const id = customerId ?? auth.userId;
  if (!id) {
    throw new ApiError(400, ProblemCode.validationFailed, 'With a secret key, name the customer.', {
      errors: [{ path: 'body.customerId', message: 'Required with a secret key', code: 'invalid_type' }],
    });
  }
  const [user] = await services.db
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(and(eq(schema.users.storeId, auth.storeId), eq(schema.users.id, id)));
  if (!user) throw notFound('customer');
  return id;
}

/** Which customer's rows the caller sees: all for secret keys and staff, else only the token's own. */
async function scopeOf(services: Services, auth: Auth): Promise<string | undefined> {
  return (await isStaff(services, auth)) ? undefined : auth.userId;
}

/** A state change of one reservation by its customer (or a secret key), answered with the reservation. */
const transition =
  (change: typeof confirmReservation) =>
  async ({ c, services, auth, params }: HandlerInput<undefined, undefined>) =>
    serializeReservation(
      await change(services.db, actorOf(c, auth), params.id!, ownerScope(auth), services.clock.now()),
      services.tokens,
      true,
    );

export function reservationRoutes(router: Router): void {
  router
    .add(
      {
        method: 'post',
        path: '/reservations',
        operationId: 'createReservation',
        summary: 'Reserve a place (take a hold)',
        description:
          'Takes one place of the slot as a PENDING hold that expires at `expiresAt` unless confirmed. 409 `slot_full` ' +
          '(with a waitlist hint), `drop_not_open`, `drop_closed`, `already_reserved`, `reservation_limit_reached`. ' +
          'Rate limited per customer and per IP.',
        tag: 'Reservations',
        access: 'customer',
        body: ReservationCreate,
        rateLimit: 'reserve',
        refuseEarly: ({ body, auth, services }) =>
          refuseIfKnownFull(
            services.live,
            (body as ReservationCreate).slotId,
            auth.storeId,
            services.clock.now(),
          ),
        success: { status: 201, schema: Reservation, description: 'The hold.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, body }) => {
        const userId = await customerFor(services, auth, body.customerId);
        const row = await reserve(
          services.db,
          services.live,
          services.reserveGate,
          actorOf(c, auth),
          { slotId: body.slotId, userId, customerNote: body.customerNote },
          services.clock.now(),
        );
        return serializeReservation(row, services.tokens, true);
      },
    )
    .add(
      {
        method: 'get',
        path: '/reservations',
        operationId: 'listReservations',
        summary: 'List reservations',
        description: 'Newest first. A customer sees their own; staff and secret keys see the whole store.',
        tag: 'Reservations',
        access: 'customer',
        query: ReservationListQuery,
        success: { status: 200, schema: ReservationList, description: 'A page of reservations.' },
      },
      async ({ services, auth, query }) => {
        const result = await listReservations(
          services.db,
          auth.storeId,
          await scopeOf(services, auth),
          query,
        );
        const show = (userId: string) => auth.keyKind === 'secret' || userId === auth.userId;
        return {
          data: result.data.map((row) => serializeReservation(row, services.tokens, show(row.userId))),
          hasMore: result.hasMore,
        };
      },
    )
    .add(
      {
        method: 'get',
        path: '/reservations/:id',
        operationId: 'getReservation',
        summary: 'Retrieve a reservation',
        description: 'A lapsed hold is expired on read (exactly once) and shown EXPIRED.',
        tag: 'Reservations',
        access: 'customer',
        success: { status: 200, schema: Reservation, description: 'The reservation.' },
        errors: [404],
      },
      async ({ services, auth, params }) => {
        const row = await getReservation(
          services.db,
          auth.storeId,
          params.id!,
          await scopeOf(services, auth),
          services.clock.now(),
        );
        return serializeReservation(
          row,
          services.tokens,
          auth.keyKind === 'secret' || row.userId === auth.userId,
        );
      },
    )
    .add(
      {
        method: 'get',
        path: '/customers/me/drops/:id',
        operationId: 'getMyDropState',
        summary: "The signed-in customer's holds, reservations and waitlist entries in a drop",
        description:
          "What a shopper's page restores after a reload, in a new tab or on another device: the reservations that " +
          'still hold a place (a lapsed hold is expired on read) and the waitlist entries still in line or promoted. ' +
          "Always the token's own customer, staff included.",
        tag: 'Customers',
        access: 'customer',
        success: {
          status: 200,
          schema: CustomerDropState,
          description: 'The customer’s standing in the drop.',
        },
        errors: [404],
      },
      async ({ services, auth, params }) => {
        if (!auth.userId) {
          throw new ApiError(
            401,
            ProblemCode.customerTokenRequired,
            'Send `X-Customer-Token`: this read is yours.',
          );
        }
        return customerDropState(
          services.db,
          services.tokens,
          auth.storeId,
          auth.userId,
          params.id!,
          services.clock.now(),
        );
      },
    )
    .add(
      {
        method: 'post',
        path: '/reservations/:id/confirm',
        operationId: 'confirmReservation',
        summary: 'Confirm a hold',
        description:
          'PENDING → CONFIRMED, with the check-in `qrToken`. 409 `hold_expired` once the hold lapsed.',
        tag: 'Reservations',
        access: 'customer',
        success: { status: 200, schema: Reservation, description: 'The confirmed reservation.' },
        errors: [404, 409],
      },
      transition(confirmReservation),
    )
    .add(
      {
        method: 'post',
        path: '/reservations/:id/cancel',
        operationId: 'cancelReservation',
        summary: 'Cancel a reservation',
        description:
          'Frees the place; the head of the waitlist is promoted into a hold in the same transaction.',
        tag: 'Reservations',
        access: 'customer',
        externalCalls: true,
        success: { status: 200, schema: Reservation, description: 'The cancelled reservation.' },
        errors: [404, 409],
      },
      async (input) => {
        const reservation = await transition(cancelReservation)(input);
        // A paid reservation cancelled within the refund rule is refunded right away (the sweeper retries leftovers).
        await settleRefunds(input.services, { reservationId: reservation.id });
        return reservation;
      },
    )
    .add(
      {
        method: 'post',
        path: '/check-ins',
        operationId: 'createCheckIn',
        summary: 'Check a reservation in by its QR token (staff)',
        description:
          "Redeems the token once; the answer's `ticket` names the customer, drop and slot. A second scan is 409 " +
          '`qr_already_used` with `firstUsedAt` and the same `ticket`.',
        tag: 'Check-ins',
        access: 'staff',
        body: CheckInCreate,
        success: { status: 201, schema: CheckIn, description: 'The check-in.' },
        errors: [409],
      },
      async ({ c, services, auth, body }) => {
        const row = await checkIn(
          services.db,
          services.tokens,
          actorOf(c, auth),
          body.qrToken,
          services.clock.now(),
        ).catch(async (error: unknown) => {
          throw await withUsedTicket(services.db, auth.storeId, error);
        });
        return {
          reservationId: row.id,
          checkedInAt: row.checkedInAt!.toISOString(),
          reservation: serializeReservation(row, services.tokens, false),
          ticket: (await reservationTicket(services.db, auth.storeId, row.id, row.checkedInAt!))!,
        };
      },
    );
}
