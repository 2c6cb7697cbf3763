/**
 * The store's team: users holding the `owner` or `staff` role in the store. An owner (or the secret key) invites by
 * e-mail, changes roles and removes members; every change is audited.
 *
 * - **Invitations** are mails queued in the notifications outbox (`notifications`, sent by the notification worker
 *   like every other mail). The signed link (`signInvitation`, valid 7 days) is made when the mail is sent and never
 *   stored, so it reaches only the invitee's mailbox: accepting it (`POST /v1/invitations/accept`) sets the password and
 *   marks the e-mail verified. Inviting a pending member again re-sends (a newer mail replaces one not sent yet); an
 *   existing account of the store (a customer, a former member) gets the role at once and a mail saying so.
 * - **A store always keeps an owner**: demoting or removing its last active owner is refused with 409 `last_owner`.
 *   Changes lock the store row, so two owners demoting each other at once cannot both pass the count.
 * - **Removal is effective at once**: roles are read from the database on every request, and the change is announced
 *   on the events channel (`removeRole`), so no process serves the member's old role again.
 */
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import {
  ProblemCode,
  type ListQuery,
  type Member,
  type MemberInvite,
  type MemberInvited,
  type MemberList,
  type MemberRole,
  type MemberRemoved,
} from '../../../src/schemas/index.js';
import { schema, transaction, type Database, type Executor } from '../db/index.js';
import { ApiError, invalidField, notFound } from '../http/problem.js';
import { announce } from '../http/revocation.js';
import { NotificationTemplate, templateLocale } from '../notifications/templates.js';
import { removeRole } from './access.js';
import { lockStore } from './api-keys.js';
import { audit, type Actor } from './audit.js';

const u = schema.users;
const ur = schema.userRoles;
const r = schema.roles;
const n = schema.notifications;
const MEMBER_ROLES: MemberRole[] = ['owner', 'staff'];

/** Member rows: each user with the member roles they hold in the store (`filter` narrows the users). */
function memberQuery(db: Executor, storeId: string, filter?: SQL) {
  return db
    .select({
      id: u.id,
      email: u.email,
      name: u.name,
      userStatus: u.status,
      invited: sql<boolean>`${u.passwordHash} is null`,
      owner: sql<boolean>`bool_or(${r.code} = 'owner')`,
      createdAt: sql<Date>`min(${ur.createdAt})`.mapWith(ur.createdAt),
    })
    .from(ur)
    .innerJoin(r, eq(r.id, ur.roleId))
    .innerJoin(u, eq(u.id, ur.userId))
    .where(and(eq(ur.storeId, storeId), eq(u.storeId, storeId), inArray(r.code, MEMBER_ROLES), filter))
    .groupBy(u.id, u.email, u.name, u.status, u.passwordHash);
}

type MemberRow = Awaited<ReturnType<typeof memberQuery>>[number];

function serializeMember(row: MemberRow): Member {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.owner ? 'owner' : 'staff',
    status: row.userStatus !== 'active' ? 'disabled' : row.invited ? 'invited' : 'active',
    createdAt: row.createdAt.toISOString(),
  };
}

async function memberRow(db: Executor, storeId: string, userId: string): Promise<MemberRow | undefined> {
  const [row] = await memberQuery(db, storeId, eq(u.id, userId));
  return row;
}

async function member(db: Executor, storeId: string, userId: string): Promise<Member> {
  const row = await memberRow(db, storeId, userId);
  if (!row) throw notFound('member');
  return serializeMember(row);
}

export async function listMembers(db: Executor, storeId: string, query: ListQuery): Promise<MemberList> {
  const limit = query.limit ?? 20;
  if (query.startingAfter && !(await memberRow(db, storeId, query.startingAfter)))
    throw invalidField('query.startingAfter', 'startingAfter names no member you can see.');
  const found = await memberQuery(
    db,
    storeId,
    query.startingAfter ? gt(u.id, query.startingAfter) : undefined,
  )
    .orderBy(asc(u.id))
    .limit(limit + 1);
  return { data: found.slice(0, limit).map(serializeMember), hasMore: found.length > limit };
}

export const getMember = member;

/** The member roles `userId` holds in the store. */
async function heldRoles(tx: Executor, storeId: string, userId: string): Promise<MemberRole[]> {
  const found = await tx
    .select({ code: r.code })
    .from(ur)
    .innerJoin(r, eq(r.id, ur.roleId))
    .where(and(eq(ur.storeId, storeId), eq(ur.userId, userId), inArray(r.code, MEMBER_ROLES)));
  return found.map((row) => row.code as MemberRole);
}

/** Refuses a change that leaves the store without an active owner other than `userId`. */
async function keepAnOwner(tx: Executor, storeId: string, userId: string, what: string): Promise<void> {
  const others = await tx
    .select({ id: u.id })
    .from(ur)
    .innerJoin(r, eq(r.id, ur.roleId))
    .innerJoin(u, eq(u.id, ur.userId))
    .where(
      and(eq(ur.storeId, storeId), eq(r.code, 'owner'), eq(u.status, 'active'), sql`${u.id} <> ${userId}`),
    )
    .limit(1);
  if (others.length === 0) {
    throw new ApiError(
      409,
      ProblemCode.lastOwner,
      `This is the store’s last owner: ${what} would leave the store without one. Make another member owner first.`,
    );
  }
}

async function grant(tx: Executor, storeId: string, userId: string, role: MemberRole, now: Date) {
  await tx.execute(
    sql`insert into ${ur} (user_id, role_id, store_id, created_at)
        select ${userId}, id, ${storeId}, ${now.toISOString()}::timestamptz from ${r} where code = ${role}
        on conflict do nothing`,
  );
}

/** Withdraws invitation mails to `userId` not sent yet. */
async function cancelPendingInvitations(tx: Executor, userId: string, reason: string, now: Date) {
  await tx
    .update(n)
    .set({ status: 'cancelled', lastError: reason, updatedAt: now })
    .where(
      and(
        eq(n.entityId, userId),
        eq(n.template, NotificationTemplate.memberInvitation),
        eq(n.status, 'pending'),
      ),
    );
}

export interface InviteOptions {
  /** The notifications channel the mail goes through (`notifications.channel`). */
  channel: string;
  /** Base of the link in the mail when the server has no `PUBLIC_URL`. */
  linkBase: string;
}

/**
 * Invites `input.email` to the team with `input.role` and queues the mail. A new address becomes an invited member;
 * a pending member gets the role and a new mail; an account of the store without a member role (a customer, a former
 * member) gets the role at once. A member who has accepted already is 409 `member_exists`; a disabled account 409.
 */
export async function inviteMember(
  db: Database,
  actor: Actor,
  input: MemberInvite,
  now: Date,
  options: InviteOptions,
): Promise<MemberInvited> {
  return transaction(db, async (tx) => {
    await lockStore(tx, actor, now);
    const [existing] = await tx
      .select()
      .from(u)
      .where(and(eq(u.storeId, actor.storeId), eq(u.email, input.email)))
      .for('update');
    let userId: string;
    let before: { role: MemberRole } | null = null;
    if (!existing) {
      const [user] = await tx
        .insert(u)
        .values({
          storeId: actor.storeId,
          email: input.email,
          name: input.name ?? null,
          passwordHash: null,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: u.id });
      userId = user!.id;
      await grant(tx, actor.storeId, userId, input.role, now);
    } else {
      userId = existing.id;
      if (existing.status !== 'active') {
        throw new ApiError(
          409,
          ProblemCode.conflict,
          'The account with this e-mail is disabled; enable it before inviting it to the team.',
        );
      }
      const held = await heldRoles(tx, actor.storeId, userId);
      if (held.length > 0 && existing.passwordHash !== null) {
        throw new ApiError(
          409,
          ProblemCode.memberExists,
          `${input.email} is a member of the team already; change their role with PATCH /v1/members/${userId}.`,
          { memberId: userId },
        );
      }
      if (held.length > 0) {
        before = { role: held.includes('owner') ? 'owner' : 'staff' };
        if (held.includes('owner') && input.role !== 'owner')
          await keepAnOwner(tx, actor.storeId, userId, 'inviting them as staff');
        await tx
          .delete(ur)
          .where(
            and(
              eq(ur.storeId, actor.storeId),
              eq(ur.userId, userId),
              sql`${ur.roleId} in (select id from ${r} where code in ('owner', 'staff') and code <> ${input.role})`,
            ),
          );
        if (input.name !== undefined)
          await tx.update(u).set({ name: input.name, updatedAt: now }).where(eq(u.id, userId));
        if (before.role !== input.role) await announce(tx, { t: 'roles', userId });
      }
      await grant(tx, actor.storeId, userId, input.role, now);
    }
    await cancelPendingInvitations(tx, userId, 'a newer invitation replaced it', now);
    const [store] = await tx
      .select({ name: schema.stores.name, locale: schema.stores.locale })
      .from(schema.stores)
      .where(eq(schema.stores.id, actor.storeId));
    const [mail] = await tx
      .insert(n)
      .values({
        storeId: actor.storeId,
        userId,
        channel: options.channel,
        template: NotificationTemplate.memberInvitation,
        payload: {
          storeName: store!.name,
          customerName: input.name ?? existing?.name ?? null,
          role: input.role,
          linkBase: options.linkBase,
        },
        status: 'pending',
        scheduledFor: now,
        nextAttemptAt: now,
        recipient: input.email,
        locale: templateLocale(store!.locale),
        dedupeKey: `${NotificationTemplate.memberInvitation}:${userId}:${randomUUID()}`,
        entityId: userId,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: n.id });
    await audit(
      tx,
      actor,
      'member.invite',
      'user',
      userId,
      before,
      { email: input.email, role: input.role, notificationId: mail!.id },
      now,
    );
    return { ...(await member(tx, actor.storeId, userId)), notificationId: mail!.id };
  });
}

/** Gives a member exactly `role`; demoting the last owner is 409 `last_owner`. Effective at once on every process. */
export async function updateMemberRole(
  db: Database,
  actor: Actor,
  userId: string,
  role: MemberRole,
  now: Date,
): Promise<Member> {
  return transaction(db, async (tx) => {
    await lockStore(tx, actor, now);
    const held = await heldRoles(tx, actor.storeId, userId);
    if (held.length === 0) throw notFound('member');
    const was: MemberRole = held.includes('owner') ? 'owner' : 'staff';
    if (held.length === 1 && held[0] === role) return member(tx, actor.storeId, userId);
    if (held.includes('owner') && role !== 'owner')
      await keepAnOwner(tx, actor.storeId, userId, 'demoting them');
    await tx
      .delete(ur)
      .where(
        and(
          eq(ur.storeId, actor.storeId),
          eq(ur.userId, userId),
          sql`${ur.roleId} in (select id from ${r} where code in ('owner', 'staff') and code <> ${role})`,
        ),
      );
    await grant(tx, actor.storeId, userId, role, now);
    await audit(tx, actor, 'member.update', 'user', userId, { role: was }, { role }, now);
    await announce(tx, { t: 'roles', userId });
    return member(tx, actor.storeId, userId);
  });
}

/**
 * Removes a member from the team: their owner and staff roles go (`removeRole`, announced to every process), and an
 * invitation not sent yet is withdrawn. Their account stays (a customer of the store keeps their bookings). Removing
 * the last owner is 409 `last_owner`.
 */
export async function removeMember(
  db: Database,
  actor: Actor,
  userId: string,
  now: Date,
): Promise<MemberRemoved> {
  return transaction(db, async (tx) => {
    await lockStore(tx, actor, now);
    const held = await heldRoles(tx, actor.storeId, userId);
    if (held.length === 0) throw notFound('member');
    if (held.includes('owner')) await keepAnOwner(tx, actor.storeId, userId, 'removing them');
    // Each removal is a savepoint of this transaction: the count above and the removal commit together.
    for (const role of held) await removeRole(tx as unknown as Database, actor, userId, role, now);
    await cancelPendingInvitations(tx, userId, 'the member was removed', now);
    return { id: userId, deleted: true };
  });
}
