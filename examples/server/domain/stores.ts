/**
 * Stores and their owners: the operator creates a store (first keys, owner invited by a signed, expiring link), the
 * owner accepts by setting a password, and reads and changes the store settings.
 *
 * Settings are read from the `stores` row by every request that needs them (no process keeps them in memory), so a
 * change applies at once on every process.
 */
import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { and, eq, sql } from 'drizzle-orm';
import { hash } from '@node-rs/argon2';
import {
  ProblemCode,
  type InvitationAccepted,
  type StoreSettings,
  type StoreSettingsUpdate,
} from '../../../src/schemas/index.js';
import { pgError, rows, schema, transaction, type Database, type Executor } from '../db/index.js';
import { hashKey } from '../http/auth.js';
import { ApiError, invalidField, notFound } from '../http/problem.js';
import type { Tokens } from './tokens.js';
import { audit, type Actor } from './audit.js';
import { isTimeZone } from './opening-hours.js';
import { SIGN_IN_TTL_SECONDS, serializeCustomer } from './customers.js';

type StoreRow = typeof schema.stores.$inferSelect;
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new API key: `pk_test_…` or `sk_test_…` with 32 random base-62 characters. */
export function newApiKey(kind: 'publishable' | 'secret'): string {
  const bytes = randomBytes(32);
  let body = '';
  for (const byte of bytes) body += BASE62[byte % 62];
  return `${kind === 'publishable' ? 'pk' : 'sk'}_test_${body}`;
}

/** Invitations are valid this long. */
export const INVITATION_TTL_SECONDS = 7 * 24 * 3600;

// ---------------------------------------------------------------------------------------------------------------
// Validation shared by store settings and branches
// ---------------------------------------------------------------------------------------------------------------

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export function checkTimeZone(zone: string | undefined, path: string): void {
  if (zone !== undefined && !isTimeZone(zone))
    throw invalidField(path, `${zone} is not an IANA time zone (e.g. Europe/Berlin).`);
}
export function checkCurrency(code: string | undefined, path: string): void {
  if (code !== undefined && !CURRENCIES.has(code))
    throw invalidField(path, `${code} is not an ISO 4217 currency code.`);
}
export function checkLocale(locale: string | undefined, path: string): void {
  if (locale === undefined) return;
  try {
    if (Intl.getCanonicalLocales(locale).length === 1) return;
  } catch {
    // falls through
  }
  throw invalidField(path, `${locale} is not a BCP 47 language tag.`);
}

// ---------------------------------------------------------------------------------------------------------------
// Operator credential
// ---------------------------------------------------------------------------------------------------------------

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Checks `Authorization: Bearer <operator token>` against the configured operator credential (timing-safe). Without a
 * configured credential the operator routes answer 403: nobody can create stores over HTTP.
 */
export function requireOperator(header: string | undefined, configured: string | undefined): void {
  if (!header) {
    throw new ApiError(
      401,
      ProblemCode.unauthenticated,
      'Send the operator credential as `Authorization: Bearer <token>`.',
      {},
      { 'www-authenticate': 'Bearer' },
    );
  }
  const presented = /^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? '';
  if (!configured) {
    throw new ApiError(403, ProblemCode.forbidden, 'No operator credential is configured on this server.');
  }
  if (!timingSafeEqual(digest(presented), digest(configured))) {
    throw new ApiError(401, ProblemCode.invalidApiKey, 'The operator credential is wrong.');
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Invitations
// ---------------------------------------------------------------------------------------------------------------

/** The invitation signing secret; made on first signing (verifying never writes: no secret, no valid token). */
async function invitationKey(db: Executor, create: boolean): Promise<Uint8Array | undefined> {
  if (create) {
    await db
      .insert(schema.serverSecrets)
      .values({ name: 'invitation_secret', value: randomBytes(32).toString('base64url') })
      .onConflictDoNothing();
  }
  const [row] = await rows<{ value: string }>(
    db,
    sql`select value from ${schema.serverSecrets} where name = 'invitation_secret'`,
  );
  return row ? new TextEncoder().encode(row.value) : undefined;
}

/**
 * A signed invitation for a user without a password: HS256 with the server's invitation secret, naming the user, the
 * store and the role, valid `ttlSeconds`. It works once: accepting sets the password, after which it is refused.
 */
export async function signInvitation(
  db: Executor,
  claims: { userId: string; storeId: string; role: 'owner' | 'staff' },
  now: Date,
  publicUrl: string,
  ttlSeconds = INVITATION_TTL_SECONDS,
): Promise<{ token: string; url: string; expiresAt: string }> {
  const iat = Math.floor(now.getTime() / 1000);
  const token = await new SignJWT({ sid: claims.storeId, role: claims.role, typ: 'invitation' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.userId)
    .setIssuer('dropslot')
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttlSeconds)
    .sign((await invitationKey(db, true))!);
  const base = publicUrl.replace(/\/$/, '');
  return {
    token,
    url: `${base}/console/accept-invitation#token=${encodeURIComponent(token)}`,
    expiresAt: new Date((iat + ttlSeconds) * 1000).toISOString(),
  };
}

const invitationInvalid = () =>
  new ApiError(400, ProblemCode.invitationInvalid, 'The invitation is invalid or has expired.', {
    errors: [{ path: 'body.token', message: 'Invalid or expired invitation', code: 'invalid_value' }],
  });

/** Accepts an invitation: sets the password once and returns a session for the new member. */
export async function acceptInvitation(
  db: Database,
  tokens: Tokens,
  input: { token: string; password: string },
  now: Date,
  meta: { ip?: string | undefined; ua?: string | undefined; requestId?: string | undefined },
): Promise<InvitationAccepted> {
  let payload;
  const key = await invitationKey(db, false);
  if (!key) throw invitationInvalid();
  try {
    ({ payload } = await jwtVerify(input.token, key, {
      issuer: 'dropslot',
      algorithms: ['HS256'],
      currentDate: now,
    }));
  } catch {
    throw invitationInvalid();
  }
  if (payload.typ !== 'invitation' || typeof payload.sub !== 'string' || typeof payload.sid !== 'string')
    throw invitationInvalid();
  const userId = payload.sub;
  const storeId = payload.sid;
  const passwordHash = await hash(input.password);
  return transaction(db, async (tx) => {
    const [updated] = await tx
      .update(schema.users)
      .set({ passwordHash, emailVerifiedAt: now, updatedAt: now })
      .where(
        and(
          eq(schema.users.id, userId),
          eq(schema.users.storeId, storeId),
          sql`password_hash is null`,
          eq(schema.users.status, 'active'),
        ),
      )
      .returning();
    // An invitation of someone removed from the team before they accepted is void.
    const [member] = updated
      ? await rows<{ one: number }>(
          tx,
          sql`select 1 as one from user_roles ur join roles r on r.id = ur.role_id
              where ur.user_id = ${userId} and ur.store_id = ${storeId} and r.code in ('owner', 'staff')`,
        )
      : [];
    if (updated && !member) throw invitationInvalid();
    if (!updated) {
      throw new ApiError(
        409,
        ProblemCode.invitationUsed,
        'This invitation was used already; sign in instead.',
      );
    }
    await audit(
      tx,
      { storeId, userId, ...meta },
      'member.invitation_accept',
      'user',
      userId,
      null,
      { role: payload.role },
      now,
    );
    const session = await tokens.signCustomerToken({ userId, storeId }, SIGN_IN_TTL_SECONDS);
    return {
      storeId,
      session: {
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
        customer: await serializeCustomer(tx, updated),
      },
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Provisioning
// ---------------------------------------------------------------------------------------------------------------

export interface ProvisionInput {
  name: string;
  slug?: string | undefined;
  currency?: string | undefined;
  timeZone?: string | undefined;
  locale?: string | undefined;
  allowedOrigins?: string[] | undefined;
  rentalPayment?: 'online' | 'at_pickup' | undefined;
  /** The owner: invited (no password) unless a password is given (the demo seed). */
  owner?: { email: string; name?: string | undefined; password?: string | undefined } | undefined;
}

export interface ProvisionedStore {
  store: StoreRow;
  publishableKey: string;
  secretKey: string;
  owner?: { id: string; email: string } | undefined;
}

function slugOf(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${base || 'store'}-${randomBytes(3).toString('hex')}`;
}

/**
 * Creates a store with one publishable and one secret key (returned once, stored hashed) and, when given, its owner.
 * The one code path for the operator API, the CLI, the demo seed and the tests. Runs in the caller's transaction.
 */
export async function provisionStore(
  tx: Executor,
  input: ProvisionInput,
  now: Date,
  actor?: Omit<Actor, 'storeId'>,
): Promise<ProvisionedStore> {
  checkCurrency(input.currency, 'body.currency');
  checkTimeZone(input.timeZone, 'body.timeZone');
  checkLocale(input.locale, 'body.locale');
  let store: StoreRow | undefined;
  try {
    [store] = await tx
      .insert(schema.stores)
      .values({
        name: input.name,
        slug: input.slug ?? slugOf(input.name),
        tenantKey: `tn_${randomBytes(8).toString('hex')}`,
        currency: input.currency ?? 'EUR',
        timeZone: input.timeZone ?? 'UTC',
        locale: input.locale ?? 'en',
        rentalPayment: input.rentalPayment ?? 'online',
        createdAt: now,
        updatedAt: now,
      })
      .returning();
  } catch (error) {
    if (pgError(error)?.constraint === 'stores_slug_key')
      throw new ApiError(409, ProblemCode.conflict, `The slug ${input.slug} is taken.`, {
        errors: [{ path: 'body.slug', message: 'Taken', code: 'invalid_value' }],
      });
    throw error;
  }
  const storeId = store!.id;
  const publishableKey = newApiKey('publishable');
  const secretKey = newApiKey('secret');
  await tx.insert(schema.apiKeys).values([
    {
      storeId,
      kind: 'publishable',
      prefix: publishableKey.slice(0, 12),
      keyHash: hashKey(publishableKey),
      allowedOrigins: input.allowedOrigins ?? [],
      label: 'Default publishable key',
      createdAt: now,
    },
    {
      storeId,
      kind: 'secret',
      prefix: secretKey.slice(0, 12),
      keyHash: hashKey(secretKey),
      label: 'Default secret key',
      createdAt: now,
    },
  ]);
  let owner: ProvisionedStore['owner'];
  if (input.owner) {
    const email = input.owner.email.toLowerCase();
    const [user] = await tx
      .insert(schema.users)
      .values({
        storeId,
        email,
        name: input.owner.name ?? null,
        passwordHash: input.owner.password ? await hash(input.owner.password) : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.execute(
      sql`insert into user_roles (user_id, role_id, store_id) select ${user!.id}, id, ${storeId} from roles where code = 'owner'`,
    );
    owner = { id: user!.id, email };
  }
  await audit(
    tx,
    { ...actor, storeId },
    'store.create',
    'store',
    storeId,
    null,
    { name: store!.name, slug: store!.slug, ownerId: owner?.id ?? null },
    now,
  );
  return { store: store!, publishableKey, secretKey, owner };
}

// ---------------------------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------------------------

export function serializeSettings(row: StoreRow): StoreSettings {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    logoUrl: row.logoUrl,
    contact: { email: row.contactEmail, phone: row.contactPhone, websiteUrl: row.websiteUrl },
    currency: row.currency,
    locale: row.locale,
    timeZone: row.timeZone,
    refundCutoffHours: row.refundCutoffHours,
    dropPaymentRequired: row.dropPaymentRequired,
    rentalPayment: row.rentalPayment as 'online' | 'at_pickup',
    checkInWindow: {
      opensMinutesBefore: row.checkInOpensMinutes,
      closesMinutesAfter: row.checkInClosesMinutes,
    },
    notificationSender: { name: row.notificationSenderName, replyTo: row.notificationReplyTo },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function getSettings(db: Executor, storeId: string): Promise<StoreSettings> {
  const [row] = await db.select().from(schema.stores).where(eq(schema.stores.id, storeId));
  if (!row) throw notFound('store');
  return serializeSettings(row);
}

/** Applies a settings change (validated: IANA zone, ISO 4217, BCP 47, URLs) with an audit row of before/after. */
export async function updateSettings(
  db: Database,
  actor: Actor,
  input: StoreSettingsUpdate,
  now: Date,
): Promise<StoreSettings> {
  checkCurrency(input.currency, 'body.currency');
  checkTimeZone(input.timeZone, 'body.timeZone');
  checkLocale(input.locale, 'body.locale');
  const set: Partial<typeof schema.stores.$inferInsert> = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.logoUrl !== undefined) set.logoUrl = input.logoUrl;
  if (input.contact?.email !== undefined) set.contactEmail = input.contact.email;
  if (input.contact?.phone !== undefined) set.contactPhone = input.contact.phone;
  if (input.contact?.websiteUrl !== undefined) set.websiteUrl = input.contact.websiteUrl;
  if (input.currency !== undefined) set.currency = input.currency;
  if (input.locale !== undefined) set.locale = input.locale;
  if (input.timeZone !== undefined) set.timeZone = input.timeZone;
  if (input.refundCutoffHours !== undefined) set.refundCutoffHours = input.refundCutoffHours;
  if (input.dropPaymentRequired !== undefined) set.dropPaymentRequired = input.dropPaymentRequired;
  if (input.rentalPayment !== undefined) set.rentalPayment = input.rentalPayment;
  if (input.checkInWindow?.opensMinutesBefore !== undefined)
    set.checkInOpensMinutes = input.checkInWindow.opensMinutesBefore;
  if (input.checkInWindow?.closesMinutesAfter !== undefined)
    set.checkInClosesMinutes = input.checkInWindow.closesMinutesAfter;
  if (input.notificationSender?.name !== undefined)
    set.notificationSenderName = input.notificationSender.name;
  if (input.notificationSender?.replyTo !== undefined)
    set.notificationReplyTo = input.notificationSender.replyTo;
  return transaction(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(schema.stores)
      .where(eq(schema.stores.id, actor.storeId))
      .for('update');
    if (!before) throw notFound('store');
    if (Object.keys(set).length === 0) return serializeSettings(before);
    const [after] = await tx
      .update(schema.stores)
      .set({ ...set, updatedAt: now })
      .where(eq(schema.stores.id, actor.storeId))
      .returning();
    const was = serializeSettings(before);
    const is = serializeSettings(after!);
    await audit(tx, actor, 'store.update', 'store', actor.storeId, was, is, now);
    return is;
  });
}
