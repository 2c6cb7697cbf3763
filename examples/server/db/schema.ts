/**
 * The reference backend's database schema (Drizzle, PostgreSQL dialect): every table of the drops design, every
 * table of the rental design (categories … events, from `0004_rentals`) plus the keys, idempotency and rate-limit
 * tables the API needs. The no-double-rental exclusion constraint is hand-written SQL (`0005_rental_no_overlap`):
 * Drizzle's builder has no EXCLUDE.
 * SQL names are snake_case; `docs/data-model.md` maps both source designs onto these tables.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  check,
  date,
  foreignKey,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().defaultRandom();
const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();
const updatedAt = () => ts('updated_at').notNull().defaultNow();

export const stores = pgTable(
  'stores',
  {
    id: id(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    tenantKey: text('tenant_key').notNull(),
    logoUrl: text('logo_url'),
    currency: char('currency', { length: 3 }).notNull().default('EUR'),
    timeZone: text('time_zone').notNull().default('UTC'),
    locale: text('locale').notNull().default('en'),
    /** How rentals are paid: `online` (a payment confirms the order) or `at_pickup` (the customer confirms; paid at the counter). */
    rentalPayment: text('rental_payment').notNull().default('online'),
    /** Refund rule (payments, 0008): a customer's cancellation at least this many hours before the slot or pickup is refunded in full. */
    refundCutoffHours: integer('refund_cutoff_hours').notNull().default(24),
    /**
     * Payments (0008): a hold in a drop whose product has a price must be paid before it is confirmed. A store that
     * takes payment at pickup turns it off (its customers confirm holds themselves, as in free drops).
     */
    dropPaymentRequired: boolean('drop_payment_required').notNull().default(true),
    /** Store settings (0012): how customers reach the store, and the sender of its notifications. */
    contactEmail: text('contact_email'),
    contactPhone: text('contact_phone'),
    websiteUrl: text('website_url'),
    notificationSenderName: text('notification_sender_name'),
    notificationReplyTo: text('notification_reply_to'),
    /** Default check-in window (0012): minutes before a slot starts / after it ends that check-in is open; null = no limit. */
    checkInOpensMinutes: integer('check_in_opens_minutes'),
    checkInClosesMinutes: integer('check_in_closes_minutes'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('stores_slug_key').on(t.slug),
    unique('stores_tenant_key_key').on(t.tenantKey),
    check('stores_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check('stores_rental_payment_check', sql`${t.rentalPayment} in ('online', 'at_pickup')`),
  ],
);

export const users = pgTable(
  'users',
  {
    id: id(),
    /** The store whose customer or staff member this is; null for platform admins. */
    storeId: uuid('store_id').references(() => stores.id, { onDelete: 'cascade' }),
    email: text('email'),
    passwordHash: text('password_hash'),
    name: text('name'),
    phone: text('phone'),
    status: text('status').notNull().default('active'),
    /** The store's own id for a user minted through `POST /customer-sessions`. */
    externalId: text('external_id'),
    emailVerifiedAt: ts('email_verified_at'),
    /** When the person's data was erased (0012): personal fields are then null; the id stays as a pseudonym. */
    erasedAt: ts('erased_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('users_store_email_key')
      .on(t.storeId, t.email)
      .where(sql`store_id is not null and email is not null`),
    uniqueIndex('users_platform_email_key')
      .on(t.email)
      .where(sql`store_id is null`),
    unique('users_store_external_id_key').on(t.storeId, t.externalId),
    check('users_status_check', sql`${t.status} in ('active', 'disabled')`),
    check('users_email_lower_check', sql`${t.email} = lower(${t.email})`),
    index('users_status_idx').on(t.status),
  ],
);

export const roles = pgTable(
  'roles',
  {
    id: id(),
    code: text('code').notNull(),
    name: text('name').notNull(),
  },
  (t) => [unique('roles_code_key').on(t.code)],
);

export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'restrict' }),
    /** The store the role applies in; null for platform-wide roles (admin). */
    storeId: uuid('store_id').references(() => stores.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    unique('user_roles_user_role_store_key').on(t.userId, t.roleId, t.storeId).nullsNotDistinct(),
    index('user_roles_role_idx').on(t.roleId),
  ],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    /** The first characters of the key, for people to recognise it (`pk_live_ab12…`). */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the whole key; the key itself is shown once and never stored. */
    keyHash: text('key_hash').notNull(),
    allowedOrigins: jsonb('allowed_origins').$type<string[]>().notNull().default([]),
    label: text('label'),
    createdAt: createdAt(),
    revokedAt: ts('revoked_at'),
    /** When a rolled key stops working (0014): the overlap in which both it and its successor are accepted. */
    expiresAt: ts('expires_at'),
    /** The key that replaced this one when it was rolled (0014). */
    replacedById: uuid('replaced_by_id'),
  },
  (t) => [
    unique('api_keys_key_hash_key').on(t.keyHash),
    foreignKey({
      name: 'api_keys_replaced_by_fkey',
      columns: [t.replacedById],
      foreignColumns: [t.id],
    }).onDelete('set null'),
    check('api_keys_kind_check', sql`${t.kind} in ('publishable', 'secret')`),
    index('api_keys_store_idx').on(t.storeId),
  ],
);

export const branches = pgTable(
  'branches',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    address: text('address'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    phone: text('phone'),
    timeZone: text('time_zone').notNull().default('UTC'),
    openingHours: jsonb('opening_hours').$type<Record<string, string[]>>(),
    /** Dates (0012) that differ from the weekly hours: `{ date: 'YYYY-MM-DD', ranges: [] }` is a closed day. */
    openingExceptions: jsonb('opening_exceptions')
      .$type<{ date: string; ranges: string[]; note?: string }[]>()
      .notNull()
      .default([]),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('branches_store_idx').on(t.storeId),
    check('branches_lat_check', sql`${t.lat} between -90 and 90`),
    check('branches_lng_check', sql`${t.lng} between -180 and 180`),
  ],
);

/** Rental catalog tree: a category may have a parent of the same store. */
export const categories = pgTable(
  'categories',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id'),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('categories_store_id_key').on(t.storeId, t.id),
    unique('categories_store_slug_key').on(t.storeId, t.slug),
    foreignKey({
      name: 'categories_store_parent_fkey',
      columns: [t.storeId, t.parentId],
      foreignColumns: [t.storeId, t.id],
    }),
    check('categories_not_own_parent_check', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
    index('categories_parent_idx').on(t.parentId),
  ],
);

export const products = pgTable(
  'products',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    images: jsonb('images').$type<string[]>().notNull().default([]),
    priceCents: integer('price_cents').notNull().default(0),
    currency: char('currency', { length: 3 }).notNull(),
    isActive: boolean('is_active').notNull().default(true),
    /** Rentals: whether units of this product are rented out (then base price and pricing unit are set). */
    isRentable: boolean('is_rentable').notNull().default(false),
    /** Rentals: price of one pricing unit in minor units of `currency`. */
    basePriceCents: integer('base_price_cents'),
    /** Rentals: `hour` | `day` | `week`. */
    pricingUnit: text('pricing_unit'),
    categoryId: uuid('category_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'products_store_category_fkey',
      columns: [t.storeId, t.categoryId],
      foreignColumns: [categories.storeId, categories.id],
    }),
    check('products_base_price_check', sql`${t.basePriceCents} >= 0`),
    check('products_pricing_unit_check', sql`${t.pricingUnit} in ('hour', 'day', 'week')`),
    check(
      'products_rentable_check',
      sql`not ${t.isRentable} or (${t.basePriceCents} is not null and ${t.pricingUnit} is not null)`,
    ),
    index('products_category_active_idx').on(t.categoryId, t.isActive),
    unique('products_store_sku_key').on(t.storeId, t.sku),
    unique('products_store_id_key').on(t.storeId, t.id),
    check('products_price_check', sql`${t.priceCents} >= 0`),
    check('products_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    index('products_store_active_idx').on(t.storeId, t.isActive),
  ],
);

export interface ReservationRuleJson {
  holdTtlSeconds: number;
  claimTtlSeconds: number;
  maxPerCustomer: number;
}

export const drops = pgTable(
  'drops',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    branchId: uuid('branch_id').references(() => branches.id, { onDelete: 'set null' }),
    name: text('name').notNull(),
    description: text('description'),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    reservationRule: jsonb('reservation_rule').$type<ReservationRuleJson>().notNull(),
    status: text('status').notNull().default('published'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('drops_window_check', sql`${t.endsAt} > ${t.startsAt}`),
    unique('drops_store_id_key').on(t.storeId, t.id),
    // Tenancy in the database: a drop's product belongs to the drop's store.
    foreignKey({
      name: 'drops_store_product_fkey',
      columns: [t.storeId, t.productId],
      foreignColumns: [products.storeId, products.id],
    }),
    check('drops_status_check', sql`${t.status} in ('draft', 'published', 'cancelled')`),
    index('drops_store_starts_idx').on(t.storeId, t.startsAt),
    index('drops_product_idx').on(t.productId),
    index('drops_status_idx').on(t.status),
  ],
);

export const slots = pgTable(
  'slots',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    dropId: uuid('drop_id')
      .notNull()
      .references(() => drops.id, { onDelete: 'cascade' }),
    startTime: ts('start_time').notNull(),
    endTime: ts('end_time').notNull(),
    capacityTotal: integer('capacity_total').notNull(),
    /** PENDING + CONFIRMED + CHECKED_IN reservations. Never above capacity_total (CHECK). */
    capacityReserved: integer('capacity_reserved').notNull().default(0),
    /** WAITING waitlist entries. */
    capacityWaitlist: integer('capacity_waitlist').notNull().default(0),
    /** Last waitlist position handed out: positions follow commit order because the slot row is locked to take one. */
    waitlistSeq: bigint('waitlist_seq', { mode: 'number' }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check('slots_window_check', sql`${t.endTime} > ${t.startTime}`),
    unique('slots_store_id_key').on(t.storeId, t.id),
    foreignKey({
      name: 'slots_store_drop_fkey',
      columns: [t.storeId, t.dropId],
      foreignColumns: [drops.storeId, drops.id],
    }),
    check('slots_capacity_total_check', sql`${t.capacityTotal} >= 0`),
    check(
      'slots_capacity_reserved_check',
      sql`${t.capacityReserved} >= 0 and ${t.capacityReserved} <= ${t.capacityTotal}`,
    ),
    check('slots_capacity_waitlist_check', sql`${t.capacityWaitlist} >= 0`),
    index('slots_drop_start_idx').on(t.dropId, t.startTime),
  ],
);

export const reservations = pgTable(
  'reservations',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    dropId: uuid('drop_id')
      .notNull()
      .references(() => drops.id, { onDelete: 'cascade' }),
    slotId: uuid('slot_id')
      .notNull()
      .references(() => slots.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    state: text('state').notNull(),
    source: text('source').notNull().default('direct'),
    expiresAt: ts('expires_at'),
    /** Kept from the source design; the check-in QR is rendered client-side from a signed token instead of a stored image. */
    qrCodeUrl: text('qr_code_url'),
    customerNote: text('customer_note'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    confirmedAt: ts('confirmed_at'),
    cancelledAt: ts('cancelled_at'),
    checkedInAt: ts('checked_in_at'),
    expiredAt: ts('expired_at'),
  },
  (t) => [
    foreignKey({
      name: 'reservations_store_slot_fkey',
      columns: [t.storeId, t.slotId],
      foreignColumns: [slots.storeId, slots.id],
    }),
    check(
      'reservations_state_check',
      sql`${t.state} in ('PENDING', 'CONFIRMED', 'CHECKED_IN', 'CANCELLED', 'EXPIRED')`,
    ),
    check('reservations_source_check', sql`${t.source} in ('direct', 'waitlist')`),
    check('reservations_pending_expiry_check', sql`${t.state} <> 'PENDING' or ${t.expiresAt} is not null`),
    check('reservations_checked_in_check', sql`${t.state} <> 'CHECKED_IN' or ${t.checkedInAt} is not null`),
    uniqueIndex('reservations_active_user_slot_key')
      .on(t.userId, t.slotId)
      .where(sql`state in ('PENDING', 'CONFIRMED', 'CHECKED_IN')`),
    index('reservations_slot_state_idx').on(t.slotId, t.state),
    index('reservations_user_drop_idx').on(t.userId, t.dropId),
    index('reservations_store_created_idx').on(t.storeId, t.createdAt),
    index('reservations_pending_expiry_idx')
      .on(t.expiresAt)
      .where(sql`state = 'PENDING'`),
  ],
);

export const waitlist = pgTable(
  'waitlist',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    dropId: uuid('drop_id')
      .notNull()
      .references(() => drops.id, { onDelete: 'cascade' }),
    slotId: uuid('slot_id')
      .notNull()
      .references(() => slots.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    /** Order in the line, from the slot's waitlist_seq: commit order. */
    position: bigint('position', { mode: 'number' }).notNull(),
    state: text('state').notNull().default('WAITING'),
    reservationId: uuid('reservation_id').references(() => reservations.id, { onDelete: 'set null' }),
    claimDeadline: ts('claim_deadline'),
    promotedAt: ts('promoted_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'waitlist_store_slot_fkey',
      columns: [t.storeId, t.slotId],
      foreignColumns: [slots.storeId, slots.id],
    }),
    check('waitlist_state_check', sql`${t.state} in ('WAITING', 'PROMOTED', 'CLAIMED', 'LEFT', 'EXPIRED')`),
    check('waitlist_promoted_check', sql`${t.state} <> 'PROMOTED' or ${t.reservationId} is not null`),
    unique('waitlist_slot_position_key').on(t.slotId, t.position),
    uniqueIndex('waitlist_active_user_slot_key')
      .on(t.userId, t.slotId)
      .where(sql`state in ('WAITING', 'PROMOTED')`),
    index('waitlist_slot_waiting_idx')
      .on(t.slotId, t.position)
      .where(sql`state = 'WAITING'`),
    index('waitlist_user_idx').on(t.userId),
  ],
);

export const payments = pgTable(
  'payments',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    reservationId: uuid('reservation_id').references(() => reservations.id, { onDelete: 'restrict' }),
    /** Rentals settle an invoice instead. */
    invoiceId: uuid('invoice_id').references(() => invoices.id, { onDelete: 'restrict' }),
    provider: text('provider').notNull(),
    providerIntentId: text('provider_intent_id'),
    amountCents: integer('amount_cents').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    status: text('status').notNull(),
    paidAt: ts('paid_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** The paying customer (payments, 0008). */
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The payment method last sent to the provider (`pm_…`), if the server confirmed with one. */
    paymentMethod: text('payment_method'),
    /** Stripe's PaymentIntent `client_secret`, handed to the paying customer only. */
    clientSecret: text('client_secret'),
    /** The step the customer must take (test provider: an authentication page), while `requires_action`. */
    nextAction: jsonb('next_action').$type<{ type: string; url: string }>(),
    /** The provider's reason of the last failed attempt (`{ code, message }`). */
    lastError: jsonb('last_error').$type<{ code: string; message: string }>(),
    /** Provider time of the snapshot the status comes from: older snapshots never overwrite newer ones. */
    providerStatusAt: ts('provider_status_at'),
    /** `pending` (asked, not yet done), `succeeded`; null when no refund was asked. */
    refundStatus: text('refund_status'),
    refundReason: text('refund_reason'),
    refundRequestedAt: ts('refund_requested_at'),
    refundedAt: ts('refunded_at'),
    providerRefundId: text('provider_refund_id'),
  },
  (t) => [
    check('payments_refund_status_check', sql`${t.refundStatus} in ('pending', 'succeeded')`),
    // At most one live or successful payment per invoice (reservations have payments_reservation_key: one ever).
    uniqueIndex('payments_invoice_live_key')
      .on(t.invoiceId)
      .where(
        sql`invoice_id is not null and status in ('requires_payment_method', 'requires_action', 'processing', 'succeeded')`,
      ),
    index('payments_refund_pending_idx')
      .on(t.refundRequestedAt)
      .where(sql`refund_status = 'pending'`),
    check('payments_amount_check', sql`${t.amountCents} >= 0`),
    check('payments_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check(
      'payments_status_check',
      sql`${t.status} in ('requires_payment_method', 'requires_action', 'processing', 'succeeded', 'failed', 'cancelled', 'refunded')`,
    ),
    check('payments_target_check', sql`num_nonnulls(${t.reservationId}, ${t.invoiceId}) = 1`),
    uniqueIndex('payments_reservation_key').on(t.reservationId),
    unique('payments_provider_intent_key').on(t.provider, t.providerIntentId),
    index('payments_store_idx').on(t.storeId),
  ],
);

export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    storeId: uuid('store_id').references(() => stores.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    template: text('template').notNull(),
    payload: jsonb('payload').notNull().default({}),
    status: text('status').notNull().default('pending'),
    scheduledFor: ts('scheduled_for'),
    sentAt: ts('sent_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** Where it goes (an email address); null when the customer has none. */
    recipient: text('recipient'),
    /** The template language, from the store's locale (`en` or `de`). */
    locale: text('locale').notNull().default('en'),
    /** One notification per fact (`hold_expiring:<reservation id>`): processing an event twice adds nothing. */
    dedupeKey: text('dedupe_key'),
    /** The event it was derived from. */
    eventId: uuid('event_id').references(() => events.id, { onDelete: 'set null' }),
    /** The reservation, waitlist entry, rental order or payment it is about. */
    entityId: uuid('entity_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** When a worker may take it next: its schedule, a retry's backoff, or the lease of the worker sending it. */
    nextAttemptAt: ts('next_attempt_at'),
    /** The transport's id of the sent message (SMTP Message-ID). */
    providerId: text('provider_id'),
  },
  (t) => [
    check('notifications_channel_check', sql`${t.channel} in ('email', 'sms', 'push', 'log')`),
    check('notifications_status_check', sql`${t.status} in ('pending', 'sent', 'failed', 'cancelled')`),
    check('notifications_attempts_check', sql`${t.attempts} >= 0`),
    index('notifications_user_status_idx').on(t.userId, t.status),
    index('notifications_due_idx')
      .on(t.scheduledFor)
      .where(sql`status = 'pending'`),
    unique('notifications_dedupe_key').on(t.dedupeKey),
    index('notifications_next_attempt_idx')
      .on(t.nextAttemptAt)
      .where(sql`status = 'pending'`),
    index('notifications_store_created_idx').on(t.storeId, t.createdAt),
    index('notifications_entity_idx').on(t.entityId),
  ],
);

/**
 * Events that notifications still have to be derived from. A trigger on `events` (migration 0009) adds a row in the
 * transaction of every event of a notified type, so none is missed whichever way it was written; the notification
 * worker turns rows into `notifications` and deletes them.
 */
export const notificationInbox = pgTable(
  'notification_inbox',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [unique('notification_inbox_event_key').on(t.eventId)],
);

export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    secret: text('secret').notNull(),
    active: boolean('active').notNull().default(true),
    description: text('description'),
    /** Event types delivered to this endpoint; `*` means every type. */
    enabledEvents: text('enabled_events')
      .array()
      .notNull()
      .default(sql`'{*}'::text[]`),
    /** The secret before the last rotation, still signing (second signature) until `previousSecretExpiresAt`. */
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: ts('previous_secret_expires_at'),
    disabledAt: ts('disabled_at'),
    disabledReason: text('disabled_reason'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('webhook_endpoints_store_idx').on(t.storeId),
    unique('webhook_endpoints_store_id_key').on(t.storeId, t.id),
  ],
);

export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    deliveryStatus: text('delivery_status').notNull().default('pending'),
    retryCount: integer('retry_count').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at'),
    /** The domain event this message reports (written by the `events` trigger in the event's transaction). */
    eventId: uuid('event_id'),
    /** `webhook-id`: one stable id per message, the same on every attempt. */
    messageId: text('message_id')
      .notNull()
      .default(sql`'msg_' || replace(gen_random_uuid()::text, '-', '')`),
    /** The lease of the worker delivering it now: another worker may take the row once `locked_until` passed. */
    leaseToken: uuid('lease_token'),
    lockedUntil: ts('locked_until'),
    lastAttemptAt: ts('last_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: ts('delivered_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      'webhook_events_status_check',
      sql`${t.deliveryStatus} in ('pending', 'delivered', 'failed', 'disabled')`,
    ),
    check('webhook_events_retry_check', sql`${t.retryCount} >= 0`),
    index('webhook_events_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`delivery_status = 'pending'`),
    index('webhook_events_endpoint_idx').on(t.endpointId, t.createdAt),
    unique('webhook_events_store_id_key').on(t.storeId, t.id),
    // Tenancy in the database: a message's endpoint belongs to the message's store.
    foreignKey({
      name: 'webhook_events_store_endpoint_fkey',
      columns: [t.storeId, t.endpointId],
      foreignColumns: [webhookEndpoints.storeId, webhookEndpoints.id],
    }).onDelete('cascade'),
  ],
);

/** One HTTP attempt of a webhook message: what the receiver answered (or the transport error) and how long it took. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    attemptedAt: ts('attempted_at').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [
    index('webhook_attempts_delivery_idx').on(t.deliveryId, t.attemptedAt),
    foreignKey({
      name: 'webhook_attempts_store_delivery_fkey',
      columns: [t.storeId, t.deliveryId],
      foreignColumns: [webhookEvents.storeId, webhookEvents.id],
    }).onDelete('cascade'),
  ],
);

export const auditLogs = pgTable(
  'audit_logs',
  {
    id: id(),
    storeId: uuid('store_id').references(() => stores.id, { onDelete: 'cascade' }),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    actorKeyId: uuid('actor_key_id').references(() => apiKeys.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    ip: text('ip'),
    ua: text('ua'),
    requestId: text('request_id'),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_logs_actor_idx').on(t.actorUserId),
    index('audit_logs_entity_idx').on(t.entity, t.entityId),
    index('audit_logs_store_created_idx').on(t.storeId, t.createdAt),
  ],
);

/** Stored responses of `Idempotency-Key` requests, scoped per API key and customer, kept at least 24 h. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status').notNull(),
    /** The answer's body exactly as first sent, so a replay is byte-identical. */
    responseText: text('response_text').notNull(),
    /** Headers of the answer that a replay repeats (content type, Retry-After …). */
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)],
);

/** Counters of the PostgreSQL rate limiter (shared by every server process). */
export const rateLimits = pgTable('rate_limits', {
  key: varchar('key', { length: 255 }).primaryKey(),
  points: integer('points').notNull().default(0),
  expire: bigint('expire', { mode: 'number' }),
});

/** Secrets every server process must share (token signing key), made once on first boot. */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

// ---------------------------------------------------------------------------------------------------------------
// Rentals
// ---------------------------------------------------------------------------------------------------------------

/**
 * Images, 3D models and AR scenes of a product, in `position` order. An uploaded image (0015) is kept by the asset
 * store under `storage_key` (content-addressed: `{store}/{sha-256}.{ext}`) and served at `url`; an external asset has
 * only its https `url`. Alt text, content type, size and dimensions describe it.
 */
export const productAssets = pgTable(
  'product_assets',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    productId: uuid('product_id').notNull(),
    assetType: text('asset_type').notNull(),
    url: text('url').notNull(),
    drmProtected: boolean('drm_protected').notNull().default(false),
    position: integer('position').notNull().default(0),
    /** Text alternative shown in place of the asset (0015); required for new assets. */
    alt: text('alt').notNull().default(''),
    /** Media type: checked from the bytes for uploads, as declared for external assets (0015). */
    contentType: text('content_type'),
    /** Size of an uploaded file in bytes (0015). */
    byteSize: integer('byte_size'),
    /** Pixel dimensions of an uploaded image, read from its bytes (0015). */
    width: integer('width'),
    height: integer('height'),
    /** Where the asset store keeps an uploaded file (0015); `null` for an external URL. */
    storageKey: text('storage_key'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'product_assets_store_product_fkey',
      columns: [t.storeId, t.productId],
      foreignColumns: [products.storeId, products.id],
    }).onDelete('cascade'),
    check('product_assets_type_check', sql`${t.assetType} in ('image', '3d', 'ar')`),
    check('product_assets_position_check', sql`${t.position} >= 0`),
    check('product_assets_byte_size_check', sql`${t.byteSize} >= 0`),
    check('product_assets_dimensions_check', sql`${t.width} > 0 and ${t.height} > 0`),
    index('product_assets_product_idx').on(t.productId, t.position),
    index('product_assets_storage_idx').on(t.storeId, t.storageKey),
  ],
);

/**
 * One physical unit of a rentable product. `status` is the unit's own condition only; whether it is free for a
 * period is derived from the active `rental_items` overlapping it.
 */
export const inventoryItems = pgTable(
  'inventory_items',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    productId: uuid('product_id').notNull(),
    serial: text('serial').notNull(),
    status: text('status').notNull().default('available'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'inventory_items_store_product_fkey',
      columns: [t.storeId, t.productId],
      foreignColumns: [products.storeId, products.id],
    }),
    unique('inventory_items_store_serial_key').on(t.storeId, t.serial),
    unique('inventory_items_store_id_key').on(t.storeId, t.id),
    check('inventory_items_status_check', sql`${t.status} in ('available', 'maintenance', 'retired')`),
    index('inventory_items_product_status_idx').on(t.productId, t.status),
  ],
);

export const promotions = pgTable(
  'promotions',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    /** `percent` (value 1–100) or `amount` (value in minor units of `currency`). */
    discountType: text('discount_type').notNull(),
    value: integer('value').notNull(),
    currency: char('currency', { length: 3 }),
    validFrom: ts('valid_from').notNull(),
    validTo: ts('valid_to').notNull(),
    /** At most this many orders may use the code; null for no limit. */
    maxRedemptions: integer('max_redemptions'),
    redemptionsCount: integer('redemptions_count').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('promotions_store_code_key').on(t.storeId, t.code),
    /** Quotes match codes case-insensitively, so two codes may not differ by case alone. */
    uniqueIndex('promotions_store_code_upper_key').on(t.storeId, sql`upper(${t.code})`),
    check('promotions_type_check', sql`${t.discountType} in ('percent', 'amount')`),
    check(
      'promotions_value_check',
      sql`(${t.discountType} = 'percent' and ${t.value} between 1 and 100) or (${t.discountType} = 'amount' and ${t.value} > 0 and ${t.currency} is not null)`,
    ),
    check('promotions_window_check', sql`${t.validTo} > ${t.validFrom}`),
    check(
      'promotions_redemptions_check',
      sql`${t.redemptionsCount} >= 0 and (${t.maxRedemptions} is null or ${t.redemptionsCount} <= ${t.maxRedemptions})`,
    ),
  ],
);

export const rentalOrders = pgTable(
  'rental_orders',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    /** The customer. */
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    status: text('status').notNull().default('pending_payment'),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    subtotalCents: integer('subtotal_cents').notNull(),
    subscriptionDiscountCents: integer('subscription_discount_cents').notNull().default(0),
    promoDiscountCents: integer('promo_discount_cents').notNull().default(0),
    pointsRedeemed: integer('points_redeemed').notNull().default(0),
    totalCents: integer('total_cents').notNull(),
    promotionId: uuid('promotion_id').references(() => promotions.id, { onDelete: 'restrict' }),
    subscriptionId: uuid('subscription_id'),
    /** The quote the order charges, exactly as it was answered. */
    quote: jsonb('quote').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    confirmedAt: ts('confirmed_at'),
    cancelledAt: ts('cancelled_at'),
    completedAt: ts('completed_at'),
  },
  (t) => [
    unique('rental_orders_store_id_key').on(t.storeId, t.id),
    check('rental_orders_window_check', sql`${t.endsAt} > ${t.startsAt}`),
    check(
      'rental_orders_status_check',
      sql`${t.status} in ('pending_payment', 'confirmed', 'active', 'completed', 'cancelled', 'overdue')`,
    ),
    check(
      'rental_orders_money_check',
      sql`${t.subtotalCents} >= 0 and ${t.subscriptionDiscountCents} >= 0 and ${t.promoDiscountCents} >= 0 and ${t.pointsRedeemed} >= 0 and ${t.totalCents} >= 0 and ${t.totalCents} = ${t.subtotalCents} - ${t.subscriptionDiscountCents} - ${t.promoDiscountCents} - ${t.pointsRedeemed}`,
    ),
    check('rental_orders_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    index('rental_orders_user_status_idx').on(t.userId, t.status),
    index('rental_orders_store_created_idx').on(t.storeId, t.createdAt),
  ],
);

/**
 * One unit of one product held for one order over `[starts_at, ends_at)`. While `status` is `held` or `out` the
 * exclusion constraint `rental_items_no_overlap` (migration 0005) keeps the unit out of every overlapping period.
 */
export const rentalItems = pgTable(
  'rental_items',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    rentalOrderId: uuid('rental_order_id').notNull(),
    productId: uuid('product_id').notNull(),
    inventoryItemId: uuid('inventory_item_id').notNull(),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    /** `held` (booked, not picked up), `out` (picked up), `returned`, `released` (cancelled). */
    status: text('status').notNull().default('held'),
    pricingUnit: text('pricing_unit').notNull(),
    units: integer('units').notNull(),
    unitPriceCents: integer('unit_price_cents').notNull(),
    /** units × unit price: the line of this one unit before discounts. */
    priceCents: integer('price_cents').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'rental_items_store_order_fkey',
      columns: [t.storeId, t.rentalOrderId],
      foreignColumns: [rentalOrders.storeId, rentalOrders.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'rental_items_store_product_fkey',
      columns: [t.storeId, t.productId],
      foreignColumns: [products.storeId, products.id],
    }),
    foreignKey({
      name: 'rental_items_store_unit_fkey',
      columns: [t.storeId, t.inventoryItemId],
      foreignColumns: [inventoryItems.storeId, inventoryItems.id],
    }),
    check('rental_items_window_check', sql`${t.endsAt} > ${t.startsAt}`),
    check('rental_items_status_check', sql`${t.status} in ('held', 'out', 'returned', 'released')`),
    check(
      'rental_items_money_check',
      sql`${t.units} > 0 and ${t.unitPriceCents} >= 0 and ${t.priceCents} >= 0`,
    ),
    index('rental_items_order_idx').on(t.rentalOrderId),
    index('rental_items_product_idx').on(t.productId, t.startsAt),
  ],
);

export const invoices = pgTable(
  'invoices',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    /** The rental order it bills, or (0016) null for a subscription's invoice. */
    rentalOrderId: uuid('rental_order_id'),
    /** The subscription whose period it bills (0016); exactly one of the two is set. */
    subscriptionId: uuid('subscription_id'),
    amountDueCents: integer('amount_due_cents').notNull(),
    amountPaidCents: integer('amount_paid_cents').notNull().default(0),
    currency: char('currency', { length: 3 }).notNull(),
    /** `open`, `paid` or `void`. */
    status: text('status').notNull().default('open'),
    /** Calendar day in the store's zone. */
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    issuedAt: ts('issued_at').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'invoices_store_order_fkey',
      columns: [t.storeId, t.rentalOrderId],
      foreignColumns: [rentalOrders.storeId, rentalOrders.id],
    }),
    foreignKey({
      name: 'invoices_store_subscription_fkey',
      columns: [t.storeId, t.subscriptionId],
      foreignColumns: [subscriptions.storeId, subscriptions.id],
    }),
    check('invoices_target_check', sql`num_nonnulls(${t.rentalOrderId}, ${t.subscriptionId}) = 1`),
    check('invoices_amounts_check', sql`${t.amountDueCents} >= 0 and ${t.amountPaidCents} >= 0`),
    check('invoices_status_check', sql`${t.status} in ('open', 'paid', 'void')`),
    check('invoices_currency_check', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    index('invoices_order_idx').on(t.rentalOrderId),
    /** One invoice per subscription: each period is a subscription of its own. */
    uniqueIndex('invoices_subscription_key')
      .on(t.subscriptionId)
      .where(sql`subscription_id is not null`),
  ],
);

export const schedules = pgTable(
  'schedules',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    rentalOrderId: uuid('rental_order_id').notNull(),
    type: text('type').notNull(),
    scheduledFor: ts('scheduled_for').notNull(),
    actualAt: ts('actual_at'),
    /** The staff member assigned. */
    assignedTo: uuid('assigned_to').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'schedules_store_order_fkey',
      columns: [t.storeId, t.rentalOrderId],
      foreignColumns: [rentalOrders.storeId, rentalOrders.id],
    }).onDelete('cascade'),
    check('schedules_type_check', sql`${t.type} in ('pickup', 'return')`),
    unique('schedules_order_type_key').on(t.rentalOrderId, t.type),
    index('schedules_store_due_idx').on(t.storeId, t.scheduledFor),
  ],
);

/** A single-use handover code: the signed token carries this row's id; verification sets `verified_at` once. */
export const handoverQr = pgTable(
  'handover_qr',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    rentalOrderId: uuid('rental_order_id').notNull(),
    type: text('type').notNull(),
    /** Random nonce signed into the QR token; no personal data. */
    qrToken: text('qr_token').notNull(),
    verifiedBy: uuid('verified_by').references(() => users.id, { onDelete: 'set null' }),
    verifiedAt: ts('verified_at'),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({
      name: 'handover_qr_store_order_fkey',
      columns: [t.storeId, t.rentalOrderId],
      foreignColumns: [rentalOrders.storeId, rentalOrders.id],
    }).onDelete('cascade'),
    check('handover_qr_type_check', sql`${t.type} in ('pickup', 'return')`),
    unique('handover_qr_order_type_key').on(t.rentalOrderId, t.type),
    unique('handover_qr_token_key').on(t.qrToken),
  ],
);

export const loyaltyAccounts = pgTable(
  'loyalty_accounts',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    pointsBalance: integer('points_balance').notNull().default(0),
    tier: text('tier').notNull().default('standard'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('loyalty_accounts_user_key').on(t.userId),
    check('loyalty_accounts_balance_check', sql`${t.pointsBalance} >= 0`),
  ],
);

/** Every change of a points balance: earned, redeemed, adjusted. */
export const loyaltyLedger = pgTable(
  'loyalty_ledger',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => loyaltyAccounts.id, { onDelete: 'cascade' }),
    rentalOrderId: uuid('rental_order_id').references(() => rentalOrders.id, { onDelete: 'set null' }),
    delta: integer('delta').notNull(),
    reason: text('reason').notNull(),
    balanceAfter: integer('balance_after').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    check('loyalty_ledger_reason_check', sql`${t.reason} in ('earn', 'redeem', 'refund', 'adjust')`),
    check('loyalty_ledger_balance_check', sql`${t.balanceAfter} >= 0`),
    index('loyalty_ledger_account_idx').on(t.accountId, t.createdAt),
  ],
);

export const subscriptionPlans = pgTable(
  'subscription_plans',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Percent off the lines of the plan's included products. */
    discountPct: integer('discount_pct').notNull(),
    durationDays: integer('duration_days').notNull(),
    priceCents: integer('price_cents').notNull().default(0),
    currency: char('currency', { length: 3 }).notNull(),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('subscription_plans_store_id_key').on(t.storeId, t.id),
    check('subscription_plans_discount_check', sql`${t.discountPct} between 0 and 100`),
    check('subscription_plans_duration_check', sql`${t.durationDays} > 0`),
    check('subscription_plans_price_check', sql`${t.priceCents} >= 0`),
  ],
);

/** The design's `included_products` JSON as a join table, so each product id has a real foreign key. */
export const subscriptionPlanProducts = pgTable(
  'subscription_plan_products',
  {
    storeId: uuid('store_id').notNull(),
    planId: uuid('plan_id').notNull(),
    productId: uuid('product_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.planId, t.productId] }),
    foreignKey({
      name: 'subscription_plan_products_store_plan_fkey',
      columns: [t.storeId, t.planId],
      foreignColumns: [subscriptionPlans.storeId, subscriptionPlans.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'subscription_plan_products_store_product_fkey',
      columns: [t.storeId, t.productId],
      foreignColumns: [products.storeId, products.id],
    }).onDelete('cascade'),
  ],
);

/**
 * A customer's subscription to a plan over `[starts_at, ends_at)`: `pending_payment` (its invoice is open; the period
 * is provisional until it is paid), `active` (the discount applies to rentals starting in the period), then
 * `expired` (the period ended) or `cancelled`. Two active subscriptions of a customer to one plan never overlap
 * (exclusion constraint `subscriptions_no_overlap`, migration 0016): subscribing again while one runs starts the new
 * period where the running one ends.
 */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    planId: uuid('plan_id').notNull(),
    status: text('status').notNull().default('active'),
    startsAt: ts('starts_at').notNull(),
    endsAt: ts('ends_at').notNull(),
    /** Cancelled to end with its period (0016): it stays active until `ends_at`, with no renewal notice. */
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
    /** When it was cancelled (0016), at period end or at once. */
    cancelledAt: ts('cancelled_at'),
    /** When it stopped applying (0016): `ends_at` for an expired one, the cancellation for one ended early. */
    endedAt: ts('ended_at'),
    /** When its renewal notice (`subscription.renewal_due`) was recorded (0016): once per subscription. */
    renewalNoticeAt: ts('renewal_notice_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('subscriptions_store_id_key').on(t.storeId, t.id),
    foreignKey({
      name: 'subscriptions_store_plan_fkey',
      columns: [t.storeId, t.planId],
      foreignColumns: [subscriptionPlans.storeId, subscriptionPlans.id],
    }),
    check(
      'subscriptions_status_check',
      sql`${t.status} in ('pending_payment', 'active', 'cancelled', 'expired')`,
    ),
    check('subscriptions_window_check', sql`${t.endsAt} > ${t.startsAt}`),
    index('subscriptions_user_idx').on(t.userId, t.status),
    index('subscriptions_store_created_idx').on(t.storeId, t.createdAt),
    /** At most one subscription per customer and plan waits for its payment. */
    uniqueIndex('subscriptions_one_pending_key')
      .on(t.userId, t.planId)
      .where(sql`status = 'pending_payment'`),
    /** What the sweeper looks for: active subscriptions by end. */
    index('subscriptions_active_end_idx')
      .on(t.endsAt)
      .where(sql`status = 'active'`),
  ],
);

/** The rental activity log (analytics): one row per step of an order, besides the audit row. */
export const events = pgTable(
  'events',
  {
    id: id(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id, { onDelete: 'cascade' }),
    occurredAt: ts('occurred_at').notNull(),
    type: text('type').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    productId: uuid('product_id').references(() => products.id, { onDelete: 'set null' }),
    rentalOrderId: uuid('rental_order_id').references(() => rentalOrders.id, { onDelete: 'set null' }),
    metadata: jsonb('metadata').notNull().default({}),
  },
  (t) => [
    index('events_user_occurred_idx').on(t.userId, t.occurredAt),
    index('events_store_occurred_idx').on(t.storeId, t.occurredAt),
  ],
);

// ---------------------------------------------------------------------------------------------------------------
// Payments (0008)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Every inbound provider event applied: the primary key makes each event count once, and the row is written in the
 * same transaction as the event's effect.
 */
export const paymentProviderEvents = pgTable(
  'payment_provider_events',
  {
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    paymentId: uuid('payment_id').references(() => payments.id, { onDelete: 'set null' }),
    receivedAt: ts('received_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.eventId] }),
    index('payment_provider_events_payment_idx').on(t.paymentId),
  ],
);

/**
 * The built-in test provider's own records (it stands in for an external provider, so it keeps its intents apart
 * from `payments`; it shares the database only so that every server process sees the same intents).
 */
export const testProviderIntents = pgTable(
  'test_provider_intents',
  {
    id: text('id').primaryKey(),
    idempotencyKey: text('idempotency_key').notNull(),
    amountCents: integer('amount_cents').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    status: text('status').notNull(),
    paymentMethod: text('payment_method'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull().default({}),
    lastError: jsonb('last_error').$type<{ code: string; message: string }>(),
    refundId: text('refund_id'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    unique('test_provider_intents_idempotency_key').on(t.idempotencyKey),
    check(
      'test_provider_intents_status_check',
      sql`${t.status} in ('requires_payment_method', 'requires_action', 'processing', 'succeeded', 'canceled')`,
    ),
  ],
);

/** Signed events of the test provider waiting to be delivered to `POST /v1/webhooks/test` (at least once). */
export const testProviderOutbox = pgTable(
  'test_provider_outbox',
  {
    id: text('id').primaryKey(),
    /** The exact body that was signed. */
    payload: text('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    deliveredAt: ts('delivered_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    index('test_provider_outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`delivered_at is null`),
  ],
);
