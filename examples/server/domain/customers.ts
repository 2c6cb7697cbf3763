/** Customer accounts: sign-up and sign-in (argon2id), tokens minted for a store's own users, `me`. */
import { and, eq, sql } from 'drizzle-orm';
import { hash, verify } from '@node-rs/argon2';
import {
  ProblemCode,
  type Customer,
  type CustomerSession,
  type CustomerSessionCreate,
  type SignIn,
  type SignUp,
} from '../../../src/schemas/index.js';
import { pgError, rows, schema, transaction, type Database, type Executor } from '../db/index.js';
import { ApiError, notFound } from '../http/problem.js';
import type { RoleCode } from '../http/context.js';
import type { Tokens } from './tokens.js';
import { audit, type Actor } from './audit.js';
import { announce } from '../http/revocation.js';
import { assertStrongPassword } from './passwords.js';

type UserRow = typeof schema.users.$inferSelect;
const u = schema.users;

/** Token lifetime of sign-in sessions. */
export const SIGN_IN_TTL_SECONDS = 7 * 24 * 3600;
/** Used to spend the same time on unknown emails as on wrong passwords. */
const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$VqQ03IF803wpqKRh72dInw$kKX1EZFIUzw0I+vm2nlOxR1aJc883RMWFUaPr+tjutk';

export async function serializeCustomer(db: Executor, row: UserRow): Promise<Customer> {
  const held = await rows<{ code: RoleCode }>(
    db,
    sql`select r.code from user_roles ur join roles r on r.id = ur.role_id
        where ur.user_id = ${row.id} and (ur.store_id = ${row.storeId} or ur.store_id is null) order by r.code`,
  );
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    externalId: row.externalId,
    roles: held.map((r) => r.code),
    status: row.status as Customer['status'],
    createdAt: row.createdAt.toISOString(),
  };
}

async function grantCustomerRole(tx: Executor, userId: string, storeId: string) {
  await tx.execute(
    sql`insert into user_roles (user_id, role_id, store_id) select ${userId}, id, ${storeId} from roles
        where code = 'customer' on conflict do nothing`,
  );
}

async function session(
  db: Executor,
  tokens: Tokens,
  row: UserRow,
  ttlSeconds: number,
): Promise<CustomerSession> {
  const { token, expiresAt } = await tokens.signCustomerToken(
    { userId: row.id, storeId: row.storeId! },
    ttlSeconds,
  );
  return { token, expiresAt: expiresAt.toISOString(), customer: await serializeCustomer(db, row) };
}

export async function signUp(db: Database, tokens: Tokens, actor: Actor, input: SignUp, now: Date) {
  const [store] = await db
    .select({ name: schema.stores.name })
    .from(schema.stores)
    .where(eq(schema.stores.id, actor.storeId));
  await assertStrongPassword(input.password, {
    email: input.email,
    name: input.name,
    storeName: store?.name ?? '',
  });
  const passwordHash = await hash(input.password);
  try {
    return await transaction(db, async (tx) => {
      const [row] = await tx
        .insert(u)
        .values({
          storeId: actor.storeId,
          email: input.email,
          name: input.name ?? null,
          passwordHash,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await grantCustomerRole(tx, row!.id, actor.storeId);
      await audit(
        tx,
        { ...actor, userId: row!.id },
        'customer.sign_up',
        'user',
        row!.id,
        null,
        {
          email: row!.email,
        },
        now,
      );
      return session(tx, tokens, row!, SIGN_IN_TTL_SECONDS);
    });
  } catch (error) {
    if (pgError(error)?.constraint === 'users_store_email_key') {
      throw new ApiError(409, ProblemCode.emailTaken, 'An account with this email exists; sign in instead.');
    }
    throw error;
  }
}

export async function signIn(db: Database, tokens: Tokens, storeId: string, input: SignIn) {
  const [row] = await db
    .select()
    .from(u)
    .where(and(eq(u.storeId, storeId), eq(u.email, input.email)));
  const ok = await verify(row?.passwordHash ?? DUMMY_HASH, input.password);
  if (!row || !row.passwordHash || !ok || row.status !== 'active') {
    throw new ApiError(401, ProblemCode.invalidCredentials, 'Email or password is wrong.');
  }
  return session(db, tokens, row, SIGN_IN_TTL_SECONDS);
}

/** Mints a token for a user of the store's own login, creating the customer on first sight. */
export async function createSession(
  db: Database,
  tokens: Tokens,
  actor: Actor,
  input: CustomerSessionCreate,
  now: Date,
) {
  try {
    return await transaction(db, async (tx) => {
      const [created] = await tx
        .insert(u)
        .values({
          storeId: actor.storeId,
          externalId: input.externalId,
          email: input.email ?? null,
          name: input.name ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .onConflictDoNothing({ target: [u.storeId, u.externalId] })
        .returning();
      let row = created;
      if (created) {
        await grantCustomerRole(tx, created.id, actor.storeId);
        await audit(
          tx,
          actor,
          'customer.create',
          'user',
          created.id,
          null,
          { externalId: input.externalId },
          now,
        );
      } else {
        [row] = await tx
          .select()
          .from(u)
          .where(and(eq(u.storeId, actor.storeId), eq(u.externalId, input.externalId)));
      }
      if (row!.status !== 'active')
        throw new ApiError(403, ProblemCode.forbidden, 'This customer is disabled.');
      return session(tx, tokens, row!, input.ttlSeconds ?? 3600);
    });
  } catch (error) {
    if (pgError(error)?.constraint === 'users_store_email_key') {
      throw new ApiError(409, ProblemCode.emailTaken, 'Another customer of this store has that email.');
    }
    throw error;
  }
}

export async function getCustomer(db: Database, storeId: string, id: string): Promise<Customer> {
  const [row] = await db
    .select()
    .from(u)
    .where(and(eq(u.storeId, storeId), eq(u.id, id)));
  if (!row) throw notFound('customer');
  return serializeCustomer(db, row);
}

/**
 * Disables or re-enables a customer of the store. A disabled customer cannot sign in, cannot get a token minted and
 * every token they hold is refused on every process as soon as the change commits (see `http/revocation.ts`).
 */
export async function setCustomerStatus(
  db: Database,
  actor: Actor,
  id: string,
  status: 'active' | 'disabled',
  now: Date,
): Promise<Customer> {
  return transaction(db, async (tx) => {
    const [before] = await tx
      .select()
      .from(u)
      .where(and(eq(u.storeId, actor.storeId), eq(u.id, id)))
      .for('update');
    if (!before) throw notFound('customer');
    if (before.status === status) return serializeCustomer(tx, before);
    const [row] = await tx.update(u).set({ status, updatedAt: now }).where(eq(u.id, id)).returning();
    await audit(
      tx,
      actor,
      status === 'disabled' ? 'customer.disable' : 'customer.enable',
      'user',
      id,
      { status: before.status },
      { status },
      now,
    );
    await announce(tx, { t: 'user', userId: id, status });
    return serializeCustomer(tx, row!);
  });
}
