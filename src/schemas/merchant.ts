import * as z from 'zod/mini';
import { Currency, Id, ListQuery, Page, Timestamp } from './common.js';
import { Branch } from './store.js';
import { Customer, CustomerSession } from './customers.js';
import { named } from './registry.js';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
const email = z.string().check(z.trim(), z.toLowerCase(), z.email(), z.maxLength(254));
const httpsUrl = z.url({ protocol: /^https?$/ }).check(z.maxLength(2000));
/** An IANA time zone name (`Europe/Berlin`); the server checks it against the zones `Intl` knows. */
const TimeZone = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_+\-/]+$/));
/** A BCP 47 language tag (`en`, `de-DE`); the server checks it with `Intl`. */
const Locale = z
  .string()
  .check(z.minLength(2), z.maxLength(35), z.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/));
const minutes = z.int().check(z.minimum(0), z.maximum(7 * 24 * 60));

/** When check-in at the door is open, relative to a slot (a drop may set its own window; this is the default). */
export const CheckInWindow = named(
  'CheckInWindow',
  'Minutes before a slot starts that check-in opens, and after it ends that it closes; null = no limit.',
  z.object({ opensMinutesBefore: z.nullable(minutes), closesMinutesAfter: z.nullable(minutes) }),
);
export type CheckInWindow = z.infer<typeof CheckInWindow>;

/** Everything an owner can set about the store (`GET /v1/store/settings`). */
export const StoreSettings = named(
  'StoreSettings',
  'The settings of the store: identity, contact, money, locale, zone, refund and payment rules, check-in, sender.',
  z.object({
    id: Id,
    name: z.string(),
    slug: z.string(),
    logoUrl: z.nullable(z.string()),
    contact: z.object({
      email: z.nullable(z.string()),
      phone: z.nullable(z.string()),
      websiteUrl: z.nullable(z.string()),
    }),
    currency: Currency,
    locale: z.string(),
    timeZone: z.string(),
    /** A customer's cancellation at least this many hours before the slot or pickup is refunded in full. */
    refundCutoffHours: z.int(),
    /** Whether holds in priced drops must be paid before they are confirmed (`false`: paid at the counter). */
    dropPaymentRequired: z.boolean(),
    /** How rental orders are paid. */
    rentalPayment: z.enum(['online', 'at_pickup']),
    checkInWindow: CheckInWindow,
    /** The sender of the store's notifications: the display name, and the address replies go to. */
    notificationSender: z.object({ name: z.nullable(z.string()), replyTo: z.nullable(z.string()) }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  }),
);
export type StoreSettings = z.infer<typeof StoreSettings>;

/** Body of `PATCH /v1/store/settings`: only the fields sent change; `null` clears an optional field. */
export const StoreSettingsUpdate = named(
  'StoreSettingsUpdate',
  'A change to the store settings; fields left out keep their value, null clears an optional one.',
  z.strictObject({
    name: z.optional(text(200)),
    logoUrl: z.optional(z.nullable(httpsUrl)),
    contact: z.optional(
      z.strictObject({
        email: z.optional(z.nullable(email)),
        phone: z.optional(z.nullable(text(40))),
        websiteUrl: z.optional(z.nullable(httpsUrl)),
      }),
    ),
    currency: z.optional(Currency),
    locale: z.optional(Locale),
    timeZone: z.optional(TimeZone),
    refundCutoffHours: z.optional(z.int().check(z.minimum(0), z.maximum(24 * 365))),
    dropPaymentRequired: z.optional(z.boolean()),
    rentalPayment: z.optional(z.enum(['online', 'at_pickup'])),
    checkInWindow: z.optional(
      z.strictObject({
        opensMinutesBefore: z.optional(z.nullable(minutes)),
        closesMinutesAfter: z.optional(z.nullable(minutes)),
      }),
    ),
    notificationSender: z.optional(
      z.strictObject({
        name: z.optional(z.nullable(text(100).check(z.regex(/^[^<>"\r\n]+$/)))),
        replyTo: z.optional(z.nullable(email)),
      }),
    ),
  }),
);
export type StoreSettingsUpdate = z.infer<typeof StoreSettingsUpdate>;

/** Body of `POST /v1/stores` (operator credential): a new store and its owner. */
export const StoreCreate = named(
  'StoreCreate',
  'A new store, created by the platform operator, and the e-mail of its owner (who gets an invitation).',
  z.strictObject({
    name: text(200),
    /** URL name of the store, unique on the platform; made from the name when left out. */
    slug: z.optional(z.string().check(z.regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/))),
    ownerEmail: email,
    ownerName: z.optional(text(200)),
    currency: z.optional(Currency),
    locale: z.optional(Locale),
    timeZone: z.optional(TimeZone),
    /** Origins allowed for the first publishable key (empty: any origin). */
    allowedOrigins: z.optional(z.array(z.url({ protocol: /^https?$/ })).check(z.maxLength(20))),
  }),
);
export type StoreCreate = z.infer<typeof StoreCreate>;

/** A signed, expiring link that lets someone set their password and join a store. */
export const Invitation = named(
  'Invitation',
  'A signed invitation: the token, a link that carries it, and when it expires.',
  z.object({ token: z.string(), url: z.string(), expiresAt: Timestamp }),
);
export type Invitation = z.infer<typeof Invitation>;

/** Answer of `POST /v1/stores`: the store, its first keys (shown once) and the owner's invitation. */
export const StoreCreated = named(
  'StoreCreated',
  'The new store, its first publishable and secret keys (shown only now) and the owner invitation.',
  z.object({
    store: StoreSettings,
    publishableKey: z.string(),
    secretKey: z.string(),
    owner: z.object({ id: Id, email: z.string(), invitation: Invitation }),
  }),
);
export type StoreCreated = z.infer<typeof StoreCreated>;

/** Body of `POST /v1/invitations/accept`: the invitation token and the password to set. */
export const InvitationAccept = named(
  'InvitationAccept',
  'Accepts an invitation by setting a password.',
  z.strictObject({
    token: z.string().check(z.minLength(1), z.maxLength(4096)),
    password: z.string().check(z.minLength(8), z.maxLength(256)),
  }),
);
export type InvitationAccept = z.infer<typeof InvitationAccept>;

/** Answer of `POST /v1/invitations/accept`: a session for the new member and the store's publishable key prefix. */
export const InvitationAccepted = named(
  'InvitationAccepted',
  'The accepted invitation: a token for the member (send with a publishable key of the store) and the store id.',
  z.object({ storeId: Id, session: CustomerSession }),
);
export type InvitationAccepted = z.infer<typeof InvitationAccepted>;

// ---------------------------------------------------------------------------------------------------------------
// Branches
// ---------------------------------------------------------------------------------------------------------------

const range = z
  .string()
  .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$|^([01]\d|2[0-3]):[0-5]\d-24:00$/));

/** A day that differs from the weekly hours: other ranges, or none (closed). */
export const OpeningException = named(
  'OpeningException',
  'A calendar date (in the branch zone) with its own opening ranges; an empty list means closed.',
  z.object({
    date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
    ranges: z.array(range).check(z.maxLength(8)),
    note: z.optional(z.string().check(z.maxLength(200))),
  }),
);
export type OpeningException = z.infer<typeof OpeningException>;

const weekly = z.partialRecord(
  z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
  z.array(range).check(z.maxLength(8)),
);
const lat = z.number().check(z.gte(-90), z.lte(90));
const lng = z.number().check(z.gte(-180), z.lte(180));

/** Body of `POST /v1/branches`. */
export const BranchCreate = named(
  'BranchCreate',
  'A new branch: address, phone, coordinates, zone and structured opening hours.',
  z.strictObject({
    name: text(200),
    address: z.optional(z.nullable(text(500))),
    phone: z.optional(z.nullable(text(40))),
    lat: z.optional(z.nullable(lat)),
    lng: z.optional(z.nullable(lng)),
    timeZone: z.optional(TimeZone),
    openingHours: z.optional(z.nullable(weekly)),
    openingExceptions: z.optional(z.array(OpeningException).check(z.maxLength(366))),
  }),
);
export type BranchCreate = z.infer<typeof BranchCreate>;

/** Body of `PATCH /v1/branches/{id}`. */
export const BranchUpdate = named(
  'BranchUpdate',
  'A change to a branch; fields left out keep their value.',
  z.strictObject({
    name: z.optional(text(200)),
    address: z.optional(z.nullable(text(500))),
    phone: z.optional(z.nullable(text(40))),
    lat: z.optional(z.nullable(lat)),
    lng: z.optional(z.nullable(lng)),
    timeZone: z.optional(TimeZone),
    openingHours: z.optional(z.nullable(weekly)),
    openingExceptions: z.optional(z.array(OpeningException).check(z.maxLength(366))),
  }),
);
export type BranchUpdate = z.infer<typeof BranchUpdate>;

export const BranchList = Page('BranchList', Branch);
export type BranchList = z.infer<typeof BranchList>;

/** Query of `GET /v1/branches/{id}/hours`: a date range in the branch zone, at most 62 days. */
export const BranchHoursQuery = z.object({
  from: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  to: z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))),
  /** Spacing of the offered pickup/return times in minutes (default 30). */
  step: z.optional(z.coerce.number().check(z.int(), z.minimum(5), z.maximum(240))),
});
export type BranchHoursQuery = z.infer<typeof BranchHoursQuery>;

/** One day of a branch: its open intervals as instants, and the pickup/return times offered in them. */
export const BranchDay = named(
  'BranchDay',
  'A calendar date of the branch: open intervals (UTC instants, DST-correct) and the times offered for pickup/return.',
  z.object({
    date: z.string(),
    closed: z.boolean(),
    open: z.array(z.object({ start: Timestamp, end: Timestamp })),
    times: z.array(Timestamp),
  }),
);
export const BranchHours = named(
  'BranchHours',
  'The opening days of a branch in a date range.',
  z.object({ branchId: Id, timeZone: z.string(), days: z.array(BranchDay) }),
);
export type BranchHours = z.infer<typeof BranchHours>;

/** Answer of `DELETE /v1/branches/{id}`. */
export const BranchDeleted = named(
  'BranchDeleted',
  'A removed branch.',
  z.object({ id: Id, deleted: z.literal(true) }),
);

// ---------------------------------------------------------------------------------------------------------------
// Customers (the store's view)
// ---------------------------------------------------------------------------------------------------------------

/** Query of `GET /v1/customers`: search by e-mail, name or external id (`q`), cursor-paginated, newest first. */
export const CustomerListQuery = z.extend(ListQuery, {
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  email: z.optional(z.string().check(z.trim(), z.toLowerCase(), z.maxLength(254))),
  externalId: z.optional(z.string().check(z.maxLength(200))),
});
export type CustomerListQuery = z.infer<typeof CustomerListQuery>;

/** A customer as the store sees them. */
export const CustomerRecord = named(
  'CustomerRecord',
  'A customer as the store sees them: status, and when erased.',
  z.extend(Customer, {
    phone: z.nullable(z.string()),
    status: z.enum(['active', 'disabled']),
    erasedAt: z.nullable(Timestamp),
  }),
);
export type CustomerRecord = z.infer<typeof CustomerRecord>;
export const CustomerList = Page('CustomerList', CustomerRecord);
export type CustomerList = z.infer<typeof CustomerList>;

const activity = z.object({
  id: Id,
  state: z.string(),
  createdAt: Timestamp,
});

/** `GET /v1/customers/{id}`: the customer with their reservations, rentals, waitlist entries and loyalty. */
export const CustomerDetail = named(
  'CustomerDetail',
  'A customer with their reservations, rental orders, waitlist entries and loyalty account.',
  z.extend(CustomerRecord, {
    reservations: z.array(z.extend(activity, { slotId: Id, dropId: Id })),
    rentals: z.array(z.extend(activity, { startsAt: Timestamp, endsAt: Timestamp, totalCents: z.int() })),
    waitlist: z.array(z.extend(activity, { slotId: Id })),
    loyalty: z.nullable(z.object({ pointsBalance: z.int(), tier: z.nullable(z.string()) })),
  }),
);
export type CustomerDetail = z.infer<typeof CustomerDetail>;

/**
 * `GET /v1/customers/{id}/export`: one JSON document of everything the store holds about a person, table by table
 * (docs/merchants.md lists every field).
 */
export const CustomerExport = named(
  'CustomerExport',
  'Everything held about one customer, table by table.',
  z.object({
    exportedAt: Timestamp,
    storeId: Id,
    customer: z.record(z.string(), z.unknown()),
    roles: z.array(z.string()),
    tables: z.record(z.string(), z.array(z.record(z.string(), z.unknown()))),
  }),
);
export type CustomerExport = z.infer<typeof CustomerExport>;

/** Answer of an erasure: the pseudonymous id kept, and what was done. */
export const CustomerErased = named(
  'CustomerErased',
  'An erased customer: personal fields removed, the id kept as a pseudonym for financial and audit records.',
  z.object({
    id: Id,
    erasedAt: Timestamp,
    anonymised: z.record(z.string(), z.int()),
  }),
);
export type CustomerErased = z.infer<typeof CustomerErased>;

// ---------------------------------------------------------------------------------------------------------------
// Reports and exports
// ---------------------------------------------------------------------------------------------------------------

/** `GET /v1/reports/drops/{id}`. */
export const DropReport = named(
  'DropReport',
  'The numbers of one drop: places, holds, confirmed, checked in, no-shows, waitlist, promotions, revenue.',
  z.object({
    dropId: Id,
    name: z.string(),
    generatedAt: Timestamp,
    places: z.int(),
    holds: z.int(),
    confirmed: z.int(),
    checkedIn: z.int(),
    noShows: z.int(),
    cancelled: z.int(),
    expired: z.int(),
    waitlistJoins: z.int(),
    promotionsClaimed: z.int(),
    revenue: z.object({ amount: z.int(), currency: Currency }),
    slots: z.array(
      z.object({
        slotId: Id,
        startsAt: Timestamp,
        places: z.int(),
        holds: z.int(),
        confirmed: z.int(),
        checkedIn: z.int(),
        noShows: z.int(),
        waitlistJoins: z.int(),
      }),
    ),
  }),
);
export type DropReport = z.infer<typeof DropReport>;

/** Query of `GET /v1/reports/rentals`: the period `[from, to)`. */
export const RentalReportQuery = z.object({ from: Timestamp, to: Timestamp });
export type RentalReportQuery = z.infer<typeof RentalReportQuery>;

/** `GET /v1/reports/rentals`. */
export const RentalReport = named(
  'RentalReport',
  'Rentals in a period: utilisation per unit, revenue, orders by status, overdue orders.',
  z.object({
    from: Timestamp,
    to: Timestamp,
    generatedAt: Timestamp,
    orders: z.record(z.string(), z.int()),
    revenue: z.object({ amount: z.int(), currency: Currency }),
    overdue: z.array(z.object({ rentalId: Id, endsAt: Timestamp, customerId: z.nullable(Id) })),
    units: z.array(
      z.object({
        unitId: Id,
        productId: Id,
        productName: z.string(),
        serialNo: z.nullable(z.string()),
        rentedHours: z.number(),
        utilisation: z.number(),
      }),
    ),
  }),
);
export type RentalReport = z.infer<typeof RentalReport>;

/** What `GET /v1/exports/{kind}.csv` can export. */
export const ExportKind = z.enum(['reservations', 'rentals', 'payments', 'customers']);
export type ExportKind = z.infer<typeof ExportKind>;

/** Query of the CSV exports: optional creation period `[from, to)`. */
export const ExportQuery = z.object({ from: z.optional(Timestamp), to: z.optional(Timestamp) });
export type ExportQuery = z.infer<typeof ExportQuery>;

// ---------------------------------------------------------------------------------------------------------------
// API keys
// ---------------------------------------------------------------------------------------------------------------

/** `publishable` (`pk_…`, safe in pages) or `secret` (`sk_…`, servers only). */
export const ApiKeyKind = z.enum(['publishable', 'secret']);
export type ApiKeyKind = z.infer<typeof ApiKeyKind>;

/**
 * An origin as browsers send it in `Origin`: `https://shop.example` or `http://localhost:3000` (scheme, host, optional
 * port; no path, no trailing slash), compared exactly.
 */
const Origin = z
  .string()
  .check(
    z.maxLength(300),
    z.regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, 'Give an origin: scheme://host[:port]'),
  );
const Origins = z.array(Origin).check(z.maxLength(20));
const label = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));

/** An API key as listed: never the key itself (it is shown once, when made), only its first characters. */
export const ApiKey = named(
  'ApiKey',
  'An API key of the store: kind, first characters, label, allowed origins and state. The key itself is never shown again.',
  z.object({
    id: Id,
    kind: ApiKeyKind,
    /** The first 12 characters of the key (`sk_test_Ab3x`), to tell keys apart. */
    prefix: z.string(),
    label: z.nullable(z.string()),
    /** Origins whose pages may use a publishable key (empty: any origin). Always empty for secret keys. */
    allowedOrigins: z.array(z.string()),
    /** `active`; `expiring` (rolled, accepted until `expiresAt`); `expired`; `revoked`. */
    status: z.enum(['active', 'expiring', 'expired', 'revoked']),
    createdAt: Timestamp,
    revokedAt: z.nullable(Timestamp),
    /** When a rolled key stops being accepted. */
    expiresAt: z.nullable(Timestamp),
    /** The key that replaced this one when it was rolled. */
    replacedBy: z.nullable(Id),
  }),
);
export type ApiKey = z.infer<typeof ApiKey>;

/** An API key with the key itself, as answered by create and roll (the only times it is shown). */
export const ApiKeyWithSecret = named(
  'ApiKeyWithSecret',
  'A new API key with the key itself (`pk_…` or `sk_…`): shown only in this answer, stored hashed.',
  z.extend(ApiKey, { secret: z.string() }),
);
export type ApiKeyWithSecret = z.infer<typeof ApiKeyWithSecret>;

export const ApiKeyList = Page('ApiKeyList', ApiKey);
export type ApiKeyList = z.infer<typeof ApiKeyList>;

/** Body of `POST /v1/api-keys`. */
export const ApiKeyCreate = named(
  'ApiKeyCreate',
  'A new API key: its kind, a label, and for a publishable key the origins allowed to use it.',
  z.strictObject({
    kind: ApiKeyKind,
    label: z.optional(label),
    /** Publishable keys only: origins whose pages may use the key (empty or left out: any origin). */
    allowedOrigins: z.optional(Origins),
  }),
);
export type ApiKeyCreate = z.infer<typeof ApiKeyCreate>;

/** Body of `PATCH /v1/api-keys/{id}`. */
export const ApiKeyUpdate = named(
  'ApiKeyUpdate',
  'A change to an API key: its label (null clears it) or, for a publishable key, its allowed origins.',
  z.strictObject({
    label: z.optional(z.nullable(label)),
    allowedOrigins: z.optional(Origins),
  }),
);
export type ApiKeyUpdate = z.infer<typeof ApiKeyUpdate>;

/** Body of `POST /v1/api-keys/{id}/roll` (optional). */
export const ApiKeyRoll = named(
  'ApiKeyRoll',
  'How long the rolled key keeps working beside its successor: 0 (stops now) to 7 days, default 24 h.',
  z.strictObject({
    /** Seconds the old key is still accepted; `0` stops it at once. @default 86400 */
    expiresPreviousAfter: z.optional(z.int().check(z.minimum(0), z.maximum(7 * 86_400))),
  }),
);
export type ApiKeyRoll = z.infer<typeof ApiKeyRoll>;

/** Answer of `POST /v1/api-keys/{id}/roll`: the new key (shown once) and the old one with its expiry. */
export const ApiKeyRolled = named(
  'ApiKeyRolled',
  'The key that replaces a rolled one (with the key itself, shown only now), and the rolled key with its expiry.',
  z.extend(ApiKeyWithSecret, { previous: ApiKey }),
);
export type ApiKeyRolled = z.infer<typeof ApiKeyRolled>;

// ---------------------------------------------------------------------------------------------------------------
// Team members
// ---------------------------------------------------------------------------------------------------------------

/** `owner` (everything, keys and team included) or `staff` (check-in, handovers, the desk). */
export const MemberRole = z.enum(['owner', 'staff']);
export type MemberRole = z.infer<typeof MemberRole>;

/** A member of the store's team. */
export const Member = named(
  'Member',
  'A member of the store team: a user with the owner or staff role; `invited` until they accept and set a password.',
  z.object({
    /** The member's user id. */
    id: Id,
    email: z.nullable(z.string()),
    name: z.nullable(z.string()),
    role: MemberRole,
    /** `invited` (no password yet), `active`, or `disabled` (the account is disabled). */
    status: z.enum(['invited', 'active', 'disabled']),
    /** When they got their role. */
    createdAt: Timestamp,
  }),
);
export type Member = z.infer<typeof Member>;

export const MemberList = Page('MemberList', Member);
export type MemberList = z.infer<typeof MemberList>;

/** Body of `POST /v1/members/invitations`. */
export const MemberInvite = named(
  'MemberInvite',
  'An invitation to the team: the e-mail it goes to, the name, and the role.',
  z.strictObject({
    email,
    name: z.optional(text(200)),
    role: MemberRole,
  }),
);
export type MemberInvite = z.infer<typeof MemberInvite>;

/** Answer of `POST /v1/members/invitations`: the member and the notification that carries the invitation. */
export const MemberInvited = named(
  'MemberInvited',
  'The invited member and the id of the notification that carries the mail (see `GET /v1/notifications`).',
  z.extend(Member, { notificationId: Id }),
);
export type MemberInvited = z.infer<typeof MemberInvited>;

/** Body of `PATCH /v1/members/{id}`. */
export const MemberUpdate = named('MemberUpdate', 'A change of role.', z.strictObject({ role: MemberRole }));
export type MemberUpdate = z.infer<typeof MemberUpdate>;

/** Answer of `DELETE /v1/members/{id}`. */
export const MemberRemoved = named(
  'MemberRemoved',
  'A member removed from the team (their account stays; their owner or staff role is gone).',
  z.object({ id: Id, deleted: z.literal(true) }),
);
export type MemberRemoved = z.infer<typeof MemberRemoved>;
