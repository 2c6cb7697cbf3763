import {
  CustomerDetail,
  CustomerErased,
  CustomerExport,
  CustomerList,
  CustomerListQuery,
  ProblemCode,
} from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import type { Auth } from '../http/context.js';
import { actorOf } from '../http/actor.js';
import { ApiError } from '../http/problem.js';
import { eraseCustomer, exportCustomer, getCustomerDetail, listCustomers } from '../domain/customer-admin.js';

function me(auth: Auth): string {
  if (!auth.userId) {
    throw new ApiError(
      401,
      ProblemCode.customerTokenRequired,
      'Send `X-Customer-Token` to know who you are.',
    );
  }
  return auth.userId;
}

/**
 * The store's customers (owner or secret key): list and search, one with their activity, export and erasure; and the
 * same export and erasure for the signed-in customer themself (`/customers/me/…`). Registered before the routes with
 * an id so `me` is never read as one.
 */
export function merchantCustomerRoutes(router: Router): void {
  router
    .add(
      {
        method: 'get',
        path: '/customers/me/export',
        operationId: 'exportMyData',
        summary: 'Export my data',
        description:
          'The signed-in customer’s own data, as one JSON document (docs/merchants.md lists the fields).',
        tag: 'Customers',
        access: 'customer',
        success: { status: 200, schema: CustomerExport, description: 'Everything held about the customer.' },
      },
      async ({ c, services, auth }) =>
        exportCustomer(services.db, actorOf(c, auth), me(auth), services.clock.now()),
    )
    .add(
      {
        method: 'post',
        path: '/customers/me/erase',
        operationId: 'eraseMyData',
        summary: 'Erase my data',
        description:
          'Anonymises the signed-in customer: personal fields removed, account disabled and every token refused; ' +
          'reservations, rentals, payments and audit rows stay under a pseudonymous id.',
        tag: 'Customers',
        access: 'customer',
        success: { status: 200, schema: CustomerErased, description: 'What was erased.' },
      },
      async ({ c, services, auth }) =>
        eraseCustomer(services.db, actorOf(c, auth), me(auth), services.clock.now()),
    )
    .add(
      {
        method: 'get',
        path: '/customers',
        operationId: 'listCustomers',
        summary: 'List and search customers',
        description:
          'Newest first. `q` matches e-mail, name or external id (case-insensitive substring); `email` and ' +
          '`externalId` match exactly.',
        tag: 'Customers',
        access: 'owner',
        query: CustomerListQuery,
        success: { status: 200, schema: CustomerList, description: 'A page of customers.' },
      },
      async ({ services, auth, query }) => listCustomers(services.db, auth.storeId, query),
    )
    .add(
      {
        method: 'get',
        path: '/customers/:id',
        operationId: 'getCustomer',
        summary: 'Retrieve a customer with their activity',
        tag: 'Customers',
        access: 'owner',
        success: {
          status: 200,
          schema: CustomerDetail,
          description: 'The customer, reservations, rentals, waitlist entries, loyalty.',
        },
        errors: [404],
      },
      async ({ services, auth, params }) => getCustomerDetail(services.db, auth.storeId, params.id!),
    )
    .add(
      {
        method: 'get',
        path: '/customers/:id/export',
        operationId: 'exportCustomer',
        summary: "Export a customer's data",
        description: 'One JSON document of everything the store holds about the person. Audited.',
        tag: 'Customers',
        access: 'owner',
        success: { status: 200, schema: CustomerExport, description: 'Everything held about the customer.' },
        errors: [404],
      },
      async ({ c, services, auth, params }) =>
        exportCustomer(services.db, actorOf(c, auth), params.id!, services.clock.now()),
    )
    .add(
      {
        method: 'post',
        path: '/customers/:id/erase',
        operationId: 'eraseCustomer',
        summary: "Erase a customer's personal data",
        description:
          'Personal fields anonymised, account disabled (tokens refused at once on every process); financial and ' +
          'audit records kept under the id, now a pseudonym. Repeating it changes nothing. Audited.',
        tag: 'Customers',
        access: 'owner',
        success: { status: 200, schema: CustomerErased, description: 'What was erased.' },
        errors: [404],
      },
      async ({ c, services, auth, params }) =>
        eraseCustomer(services.db, actorOf(c, auth), params.id!, services.clock.now()),
    );
}
