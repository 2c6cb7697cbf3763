import { createServerClock, type ServerClock } from './clock.js';
import type { FetchLike } from './core.js';
import { Transport, registerTransport } from './internal/transport.js';
import { checkInsResource, type CheckInsResource } from './resources/check-ins.js';
import { customersResource, type CustomersResource } from './resources/customers.js';
import { dropsResource, type DropsResource } from './resources/drops.js';
import { productsResource, type ProductsResource } from './resources/products.js';
import { rentalsResource, type RentalsResource } from './resources/rentals.js';
import { subscriptionsResource, type SubscriptionsResource } from './resources/subscriptions.js';
import { reservationsResource, type ReservationsResource } from './resources/reservations.js';
import { slotsResource, type SlotsResource } from './resources/slots.js';
import { storeResource, type StoreResource } from './resources/store.js';
import { timeResource, type TimeResource } from './resources/time.js';
import { waitlistResource, type WaitlistResource } from './resources/waitlist.js';
import { notificationsResource, type NotificationsResource } from './resources/notifications.js';
import { webhookEndpointsResource, type WebhookEndpointsResource } from './resources/webhook-endpoints.js';
import { auditLogsResource, type AuditLogsResource } from './resources/audit-logs.js';
import {
  apiKeysResource,
  branchesResource,
  membersResource,
  invitationsResource,
  productAssetsResource,
  reportsResource,
  storeCustomersResource,
  storeSettingsResource,
  storesResource,
  type ApiKeysResource,
  type BranchesResource,
  type InvitationsResource,
  type MembersResource,
  type ProductAssetsResource,
  type ReportsResource,
  type StoreCustomersResource,
  type StoreSettingsResource,
  type StoresResource,
} from './resources/merchant.js';
import {
  invoicesResource,
  paymentsResource,
  type InvoicesResource,
  type PaymentsResource,
} from './resources/payments.js';

/**
 * Options of {@link createClient} shared by both kinds of key.
 *
 * @example
 * ```ts
 * import { createClient, type ClientOptions } from 'dropslot';
 *
 * const options: ClientOptions = { baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123', timeout: 10_000 };
 * const client = createClient(options);
 * ```
 */
export interface BaseClientOptions {
  /** The API origin (and path prefix, if any) without `/v1`, e.g. `https://api.example.com`. */
  baseUrl: string;
  /** The shopper's token, sent as `X-Customer-Token`; change it later with {@link DropSlotClient.setCustomerToken}. */
  customerToken?: string | null | undefined;
  /**
   * The `fetch` used for every request, including live streams. Pass your framework's fetch for SSR, or a mock in tests.
   * @default globalThis.fetch (looked up at each call)
   */
  fetch?: FetchLike | undefined;
  /**
   * Milliseconds to wait for each attempt's response (headers and body) before it fails with `TimeoutError`;
   * `0` or `Infinity` waits forever. Retries get a fresh timeout each.
   * @default 30000
   */
  timeout?: number | undefined;
  /**
   * Retries after a connection error, timeout, 429, 5xx or 409 `idempotency_key_in_flight`. GETs and POSTs (which always
   * carry an idempotency key) are retried; PATCH and DELETE are not. Delays honour `Retry-After`, else exponential backoff
   * with jitter from 0.5 s up to 8 s.
   * @default 2
   */
  maxRetries?: number | undefined;
  /** Extra headers sent with every request. They cannot replace `Authorization`, `X-Customer-Token` or `Idempotency-Key`. */
  headers?: Record<string, string> | undefined;
}

/**
 * Options of {@link createClient}: a base URL and exactly one key. Use the publishable key (`pk_…`) in pages,
 * the secret key (`sk_…`) only on your server.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * ```
 */
export type ClientOptions = BaseClientOptions &
  (
    | {
        /** The publishable key (`pk_…`), safe in a web page. */
        publishableKey: string;
        secretKey?: undefined;
        operatorToken?: undefined;
      }
    | {
        /** The secret key (`sk_…`). Server only: never ship it to a browser. */
        secretKey: string;
        publishableKey?: undefined;
        operatorToken?: undefined;
      }
    | {
        /** The platform operator credential (`OPERATOR_TOKEN` of the server), for `client.stores.create`. Server only. */
        operatorToken: string;
        publishableKey?: undefined;
        secretKey?: undefined;
      }
  );

/**
 * A DropSlot API client, made by {@link createClient}. One resource object per area of the API, a
 * {@link ServerClock}, and the current customer token.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * const store = await client.store.retrieve();
 * ```
 */
export interface DropSlotClient {
  /** `GET /v1/time`. */
  readonly time: TimeResource;
  /** `GET /v1/store`. */
  readonly store: StoreResource;
  /** `/v1/products`. */
  readonly products: ProductsResource;
  /** `/v1/drops`. */
  readonly drops: DropsResource;
  /** `/v1/slots` and `/v1/drops/{id}/slots`. */
  readonly slots: SlotsResource;
  /** `/v1/reservations`. */
  readonly reservations: ReservationsResource;
  /** `/v1/waitlist` and `/v1/slots/{id}/waitlist`. */
  readonly waitlist: WaitlistResource;
  /** `/v1/check-ins`. */
  readonly checkIns: CheckInsResource;
  /** `/v1/customers` and `/v1/customer-sessions`. */
  readonly customers: CustomersResource;
  /** `/v1/rentals`, `/v1/rental-quotes`, `/v1/handovers`, `/v1/categories` and product availability. */
  readonly rentals: RentalsResource;
  /** `/v1/subscriptions` and `/v1/customers/me/subscriptions`: subscribe to a plan, see, cancel, mark paid. */
  readonly subscriptions: SubscriptionsResource;
  /** `/v1/notifications` and `/v1/customers/me/notifications`. */
  readonly notifications: NotificationsResource;
  /** `/v1/webhook-endpoints`: CRUD, secret rotation and the delivery log (secret key or owner). */
  readonly webhookEndpoints: WebhookEndpointsResource;
  /** `GET /v1/audit-logs` (secret key or owner). */
  readonly auditLogs: AuditLogsResource;
  /** `/v1/payments`: pay a held reservation of a paid drop or a rental invoice. */
  readonly payments: PaymentsResource;
  /** `/v1/invoices`: rental invoices. */
  readonly invoices: InvoicesResource;
  /** `POST /v1/stores` (platform operator credential). */
  readonly stores: StoresResource;
  /** `POST /v1/invitations/accept`. */
  readonly invitations: InvitationsResource;
  /** `/v1/store/settings` (secret key or owner). */
  readonly storeSettings: StoreSettingsResource;
  /** `/v1/branches`. */
  readonly branches: BranchesResource;
  /** The store's customers: `/v1/customers` search, export, erasure (secret key or owner), and `/v1/customers/me/…`. */
  readonly storeCustomers: StoreCustomersResource;
  /** `/v1/reports/…` and the CSV exports `/v1/exports/…` (secret key or owner). */
  readonly reports: ReportsResource;
  /** `/v1/api-keys`: list, create, change, revoke and roll the store's keys (secret key or owner). */
  readonly apiKeys: ApiKeysResource;
  /** `/v1/members`: the store's team — invite, change role, remove (secret key or owner). */
  readonly members: MembersResource;
  /** `/v1/products/{id}/assets` and `/v1/assets/{id}`: product images (uploads) and external assets. */
  readonly productAssets: ProductAssetsResource;
  /** Server time estimated from `/v1/time` probes. Call `clock.sync()` once before relying on it. */
  readonly clock: ServerClock;
  /** The customer token sent as `X-Customer-Token`, or `null`. */
  readonly customerToken: string | null;
  /** Sets (or with `null`, clears) the customer token for every later request and live stream. */
  setCustomerToken(token: string | null): void;
}

/**
 * Creates a client for the DropSlot API. Works in browsers and Node 20+; every request goes through the `fetch` you
 * pass (or the global one). POSTs get an `Idempotency-Key` that is reused by their retries, and every response is
 * validated against the API contract.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * for await (const drop of client.drops.list({ phase: 'live' })) {
 *   console.log(drop.name, drop.capacityRemaining);
 * }
 * ```
 */
export function createClient(options: ClientOptions): DropSlotClient {
  const apiKey = options.secretKey ?? options.publishableKey ?? options.operatorToken;
  if (typeof options.baseUrl !== 'string' || options.baseUrl === '') {
    throw new TypeError('createClient: `baseUrl` is required');
  }
  if (typeof apiKey !== 'string' || apiKey === '') {
    throw new TypeError('createClient: pass a `publishableKey`, a `secretKey` or an `operatorToken`');
  }
  if (
    [options.secretKey, options.publishableKey, options.operatorToken].filter((k) => k !== undefined).length >
    1
  ) {
    throw new TypeError('createClient: pass only one of `publishableKey`, `secretKey` and `operatorToken`');
  }
  const transport = new Transport({
    baseUrl: options.baseUrl,
    apiKey,
    fetch: options.fetch,
    timeout: options.timeout ?? 30_000,
    maxRetries: options.maxRetries ?? 2,
    headers: options.headers ?? {},
  });
  transport.customerToken = options.customerToken ?? null;
  const time = timeResource(transport);
  const client: DropSlotClient = {
    time,
    store: storeResource(transport),
    products: productsResource(transport),
    drops: dropsResource(transport),
    slots: slotsResource(transport),
    reservations: reservationsResource(transport),
    waitlist: waitlistResource(transport),
    checkIns: checkInsResource(transport),
    customers: customersResource(transport),
    rentals: rentalsResource(transport),
    subscriptions: subscriptionsResource(transport),
    notifications: notificationsResource(transport),
    webhookEndpoints: webhookEndpointsResource(transport),
    auditLogs: auditLogsResource(transport),
    payments: paymentsResource(transport),
    invoices: invoicesResource(transport),
    stores: storesResource(transport),
    invitations: invitationsResource(transport),
    storeSettings: storeSettingsResource(transport),
    branches: branchesResource(transport),
    storeCustomers: storeCustomersResource(transport),
    reports: reportsResource(transport),
    apiKeys: apiKeysResource(transport),
    members: membersResource(transport),
    productAssets: productAssetsResource(transport),
    // Probes are not retried: a retried probe's round trip says nothing about the offset.
    clock: createServerClock({ probe: async (signal) => (await time.now({ signal, maxRetries: 0 })).now }),
    get customerToken() {
      return transport.customerToken;
    },
    setCustomerToken(token) {
      transport.customerToken = token;
    },
  };
  registerTransport(client, transport);
  return client;
}
