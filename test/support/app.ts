/** A running reference backend for one test: its own database, a manual clock, a store with keys, real HTTP. */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { createApp, type AppOptions, type DropSlotApp } from '../../examples/server/app.js';
import { ManualClock } from '../../examples/server/clock.js';
import { rows, schema, type DatabaseHandle } from '../../examples/server/db/index.js';
import type { RateLimitConfig } from '../../examples/server/http/rate-limit.js';
import type { WebhookSettings } from '../../examples/server/domain/webhook-delivery.js';
import { createStore, createUser, type CreatedStore } from '../../examples/server/seed.js';
import { LocalAssetStore } from '../../examples/server/storage/index.js';
import * as z from 'zod/mini';
import { WebhookEventData, type WebhookEventName } from '../../src/schemas/index.js';
import { contractChecker } from './contract.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './db.js';

export interface Call {
  key?: string | null;
  token?: string;
  body?: unknown;
  /** Sent as-is (for malformed JSON tests). */
  rawBody?: string;
  /** Bytes sent as the body (an image upload); give its `content-type` in `headers`. */
  bytes?: Uint8Array;
  headers?: Record<string, string>;
  idempotencyKey?: string;
  /** Checks the answer against the served OpenAPI document (default); off only for deliberate protocol probes. */
  checkContract?: boolean;
}

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface TestApp {
  kind: DatabaseKind;
  dropslot: DropSlotApp;
  handle: DatabaseHandle;
  database: TestDatabase;
  clock: ManualClock;
  baseUrl: string;
  store: CreatedStore;
  /** HTTP call; `key` defaults to the store's publishable key (`null` sends none). */
  call<T = any>(method: string, path: string, options?: Call): Promise<Reply<T>>;
  /** A new customer of the store and their token. */
  customer(): Promise<{ id: string; token: string }>;
  /** A staff member's token. */
  staff(): Promise<{ id: string; token: string }>;
  /** A published drop with `slots` slots (capacity each), open now unless `startsAt` says otherwise. */
  drop(options?: {
    capacity?: number;
    slots?: number;
    startsAt?: Date;
    endsAt?: Date;
    rule?: Record<string, number>;
    /** The product's price: a priced drop's holds are paid before confirmation. @default 0 (a free drop) */
    priceCents?: number;
  }): Promise<{ dropId: string; slotIds: string[]; productId: string }>;
  /** Row counts of every table, capacity sums and rental statuses (text): equal before and after means nothing changed. */
  fingerprint(): Promise<Record<string, number>>;
  /** The directory of the app's local asset store (a fresh temporary one unless `assets.store` was given). */
  assetsDir: string;
  close(): Promise<void>;
}

export const START = new Date('2030-03-01T09:00:00.000Z');
/** The platform operator credential of test apps (`POST /v1/stores`). */
export const OPERATOR_TOKEN = 'op_test_operator_credential';
/** The token of test apps' `GET /metrics`. */
export const METRICS_TOKEN = 'metrics_test_token';

let customerSeq = 0;

export async function startTestApp(
  kind: DatabaseKind,
  options: {
    rateLimits?: RateLimitConfig | false;
    database?: TestDatabase;
    notifications?: AppOptions['notifications'];
    webhooks?: Partial<WebhookSettings>;
    payments?: AppOptions['payments'];
    assets?: AppOptions['assets'];
  } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase(kind));
  // Created only when a file is written: apps that upload nothing leave no trace.
  const assetsDir = path.join(tmpdir(), `dropslot-assets-${randomUUID()}`);
  const handle = await database.open();
  const clock = new ManualClock(START);
  const dropslot = await createApp({
    db: handle,
    clock,
    rateLimits: options.rateLimits ?? false,
    notifications: options.notifications,
    ...(options.webhooks && { webhooks: options.webhooks }),
    payments: options.payments,
    operator: { token: OPERATOR_TOKEN },
    metricsToken: METRICS_TOKEN,
    assets: { store: new LocalAssetStore(assetsDir), ...options.assets },
  });
  const store = await createStore(
    handle.db,
    { name: 'Test store', slug: `test-${Math.random().toString(36).slice(2)}` },
    clock.now(),
  );
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: dropslot.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const contract = contractChecker(dropslot.openapi);
  const call: TestApp['call'] = async (method, path, o = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    const key = o.key === undefined ? store.publishableKey : o.key;
    if (key) headers.authorization = `Bearer ${key}`;
    if (o.token) headers['x-customer-token'] = o.token;
    if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey;
    let body: string | Uint8Array<ArrayBuffer> | undefined = o.bytes ? new Uint8Array(o.bytes) : o.rawBody;
    if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    // Every answer, errors included, must be what the served OpenAPI document says it is.
    if (o.checkContract !== false) {
      contract.check(method, path, response.status, response.headers.get('content-type'), parsed);
    }
    return { status: response.status, headers: response.headers, body: parsed as never };
  };

  const customer = async () => {
    const externalId = `c${++customerSeq}-${Math.random().toString(36).slice(2)}`;
    const reply = await call('POST', '/v1/customer-sessions', { key: store.secretKey, body: { externalId } });
    if (reply.status !== 201)
      throw new Error(`customer session: ${reply.status} ${JSON.stringify(reply.body)}`);
    return { id: reply.body.customer.id as string, token: reply.body.token as string };
  };

  const staff = async () => {
    const email = `staff${++customerSeq}@test.example`;
    const id = await createUser(
      handle.db,
      store.storeId,
      { email, password: 'staff-password', roles: ['staff'] },
      clock.now(),
    );
    const reply = await call('POST', '/v1/customers/sign-in', {
      body: { email, password: 'staff-password' },
    });
    if (reply.status !== 200) throw new Error(`staff sign-in: ${reply.status}`);
    return { id, token: reply.body.token as string };
  };

  const drop: TestApp['drop'] = async (o = {}) => {
    const [product] = await handle.db
      .insert(schema.products)
      .values({
        storeId: store.storeId,
        sku: `SKU-${Math.random().toString(36).slice(2, 10)}`,
        name: 'Sneaker',
        currency: 'EUR',
        priceCents: o.priceCents ?? 0,
      })
      .returning();
    const startsAt = o.startsAt ?? new Date(clock.now().getTime() - 60_000);
    const endsAt = o.endsAt ?? new Date(startsAt.getTime() + 7 * 86_400_000);
    const created = await call('POST', '/v1/drops', {
      key: store.secretKey,
      body: {
        productId: product!.id,
        name: 'Test drop',
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        ...(o.rule && { reservationRule: o.rule }),
      },
    });
    if (created.status !== 201) throw new Error(`drop: ${created.status} ${JSON.stringify(created.body)}`);
    const slotIds: string[] = [];
    for (let i = 0; i < (o.slots ?? 1); i++) {
      const slot = await call('POST', `/v1/drops/${created.body.id}/slots`, {
        key: store.secretKey,
        body: {
          startsAt: new Date(START.getTime() + 86_400_000 + i * 3_600_000).toISOString(),
          endsAt: new Date(START.getTime() + 86_400_000 + (i + 1) * 3_600_000).toISOString(),
          capacityTotal: o.capacity ?? 10,
        },
      });
      if (slot.status !== 201) throw new Error(`slot: ${slot.status} ${JSON.stringify(slot.body)}`);
      slotIds.push(slot.body.id);
    }
    return { dropId: created.body.id, slotIds, productId: product!.id };
  };

  const fingerprint = async () => {
    const [counts] = await rows<Record<string, number>>(
      handle.db,
      sql`select
        (select count(*) from users)::int as users, (select count(*) from stores)::int as stores,
        (select count(*) from products)::int as products, (select count(*) from drops)::int as drops,
        (select count(*) from slots)::int as slots, (select count(*) from reservations)::int as reservations,
        (select count(*) from waitlist)::int as waitlist, (select count(*) from audit_logs)::int as audit_logs,
        (select count(*) from api_keys)::int as api_keys,
        (select coalesce(sum(capacity_reserved), 0) from slots)::int as reserved,
        (select coalesce(sum(capacity_waitlist), 0) from slots)::int as waiting,
        (select count(*) from reservations where state = 'CHECKED_IN')::int as checked_in,
        (select coalesce(max(updated_at), 'epoch')::text from products) as products_updated,
        (select coalesce(max(updated_at), 'epoch')::text from drops) as drops_updated,
        (select count(*) from categories)::int as categories,
        (select count(*) from inventory_items)::int as inventory_items,
        (select count(*) from rental_orders)::int as rental_orders,
        (select count(*) from rental_items)::int as rental_items,
        (select count(*) from invoices)::int as invoices,
        (select count(*) from schedules)::int as schedules,
        (select count(*) from handover_qr)::int as handover_qr,
        (select count(*) from events)::int as events,
        (select count(*) from loyalty_ledger)::int as loyalty_ledger,
        (select coalesce(sum(points_balance), 0) from loyalty_accounts)::int as points,
        (select coalesce(sum(redemptions_count), 0) from promotions)::int as promo_redemptions,
        (select coalesce(string_agg(status, ',' order by id), '') from rental_orders) as rental_statuses,
        (select coalesce(string_agg(status, ',' order by id), '') from rental_items) as rental_item_statuses,
        (select coalesce(string_agg(status, ',' order by id), '') from invoices) as invoice_statuses,
        (select count(*) from handover_qr where verified_at is not null)::int as handovers_verified,
        (select count(*) from schedules where assigned_to is not null or actual_at is not null)::int as schedules_set,
        (select count(*) from product_assets)::int as product_assets,
        (select coalesce(string_agg(id::text || ':' || position || ':' || alt || ':' || drm_protected || ':' ||
           updated_at::text, ',' order by id), '') from product_assets) as product_asset_states,
        (select count(*) from subscriptions)::int as subscriptions,
        (select coalesce(string_agg(status || ':' || cancel_at_period_end::text || ':' || starts_at::text || ':' ||
           coalesce(renewal_notice_at::text, '-'), ',' order by id), '') from subscriptions) as subscription_statuses,
        (select count(*) from subscription_plans)::int as subscription_plans,
        (select coalesce(max(updated_at), 'epoch')::text from subscription_plans) as plans_updated,
        (select count(*) from payments)::int as payments`,
    );
    return counts!;
  };

  return {
    kind,
    dropslot,
    handle,
    database,
    clock,
    baseUrl,
    store,
    call,
    customer,
    staff,
    drop,
    fingerprint,
    assetsDir,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await dropslot.close();
      await handle.close();
      await database.drop();
      await rm(assetsDir, { recursive: true, force: true });
    },
  };
}

/** Runs `body` against a fresh app and always closes it. */
/**
 * Every event the test made the server record has the `data` its type's schema in the contract says (the webhook
 * payloads partners type their handlers with: `src/schemas/webhook-events.ts`).
 */
async function checkEvents(t: TestApp): Promise<void> {
  const events = await rows<{ type: string; metadata: unknown }>(
    t.handle.db,
    sql`select type, metadata from events order by occurred_at, id`,
  );
  for (const event of events) {
    const schema = WebhookEventData[event.type as WebhookEventName];
    if (!schema) throw new Error(`event type ${event.type} has no schema in src/schemas/webhook-events.ts`);
    const parsed = z.safeParse(schema, event.metadata);
    if (!parsed.success) {
      throw new Error(
        `a ${event.type} event does not match its schema: ${JSON.stringify(parsed.error.issues)} in ${JSON.stringify(event.metadata)}`,
      );
    }
  }
}

export async function withApp(
  kind: DatabaseKind,
  body: (t: TestApp) => Promise<void>,
  options: {
    rateLimits?: RateLimitConfig | false;
    notifications?: AppOptions['notifications'];
    webhooks?: Partial<WebhookSettings>;
    payments?: AppOptions['payments'];
    assets?: AppOptions['assets'];
  } = {},
): Promise<void> {
  const t = await startTestApp(kind, options);
  try {
    await body(t);
    await checkEvents(t);
  } finally {
    await t.close();
  }
}
