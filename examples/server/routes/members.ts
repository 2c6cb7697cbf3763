import {
  ListQuery,
  Member,
  MemberInvite,
  MemberInvited,
  MemberList,
  MemberRemoved,
  MemberUpdate,
} from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import { actorOf } from '../http/actor.js';
import { getMember, inviteMember, listMembers, removeMember, updateMemberRole } from '../domain/members.js';

export interface MemberRouteOptions {
  /** The notifications channel kind invitation mails are recorded with (`email` or `log`). */
  channel: string;
  /** Base of invitation links (`PUBLIC_URL`). @default the request's origin */
  publicUrl?: string | undefined;
}

/** `/v1/members`: the store's team (owner or secret key). */
export function memberRoutes(router: Router, options: MemberRouteOptions): void {
  router
    .add(
      {
        method: 'get',
        path: '/members',
        operationId: 'listMembers',
        summary: 'List team members',
        description: 'Users with the owner or staff role in the store, invited ones included.',
        tag: 'Members',
        access: 'owner',
        query: ListQuery,
        success: { status: 200, schema: MemberList, description: 'A page of members.' },
      },
      async ({ services, auth, query }) => listMembers(services.db, auth.storeId, query),
    )
    .add(
      {
        method: 'get',
        path: '/members/:id',
        operationId: 'getMember',
        summary: 'Retrieve a team member',
        tag: 'Members',
        access: 'owner',
        success: { status: 200, schema: Member, description: 'The member.' },
        errors: [404],
      },
      async ({ services, auth, params }) => getMember(services.db, auth.storeId, params.id!),
    )
    .add(
      {
        method: 'post',
        path: '/members/invitations',
        operationId: 'inviteMember',
        summary: 'Invite a team member',
        description:
          'Queues an invitation mail through the notifications channel (`member_invitation`): a signed link, valid 7 ' +
          'days from sending and usable once, to set a password (`POST /v1/invitations/accept`). The link is made when ' +
          'the mail is sent and is never returned or stored. Inviting a member who has not accepted yet sends a new ' +
          'mail (and applies the role given); an account of the store without a team role (a customer, a former ' +
          'member) gets the role at once and a mail saying so. A member who has accepted is 409 `member_exists`.',
        tag: 'Members',
        access: 'owner',
        body: MemberInvite,
        success: {
          status: 201,
          schema: MemberInvited,
          description: 'The member and the id of the notification carrying the mail.',
        },
        errors: [409],
      },
      async ({ c, services, auth, body }) =>
        inviteMember(services.db, actorOf(c, auth), body, services.clock.now(), {
          channel: options.channel,
          linkBase: options.publicUrl || new URL(c.req.url).origin,
        }),
    )
    .add(
      {
        method: 'patch',
        path: '/members/:id',
        operationId: 'updateMember',
        summary: 'Change a team member’s role',
        description:
          'Owner or staff. Demoting the last active owner is 409 `last_owner`. Applies at once on every process.',
        tag: 'Members',
        access: 'owner',
        body: MemberUpdate,
        success: { status: 200, schema: Member, description: 'The member after the change.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, params, body }) =>
        updateMemberRole(services.db, actorOf(c, auth), params.id!, body.role, services.clock.now()),
    )
    .add(
      {
        method: 'delete',
        path: '/members/:id',
        operationId: 'removeMember',
        summary: 'Remove a team member',
        description:
          'Takes the owner and staff roles away (the account stays, as a customer of the store) and withdraws an ' +
          'invitation not sent yet. Their next request as a member is refused, on every process. Removing the last ' +
          'active owner is 409 `last_owner`.',
        tag: 'Members',
        access: 'owner',
        success: { status: 200, schema: MemberRemoved, description: 'The removed member.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, params }) =>
        removeMember(services.db, actorOf(c, auth), params.id!, services.clock.now()),
    );
}
