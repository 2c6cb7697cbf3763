import { WaitlistEntry, WaitlistJoin, WaitlistList, WaitlistListQuery } from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import { actorOf } from '../http/actor.js';
import { isStaff, ownerScope } from '../http/auth.js';
import { getEntry, joinWaitlist, leaveWaitlist, listEntries } from '../domain/waitlist.js';
import { customerFor } from './reservations.js';

export function waitlistRoutes(router: Router): void {
  router
    .add(
      {
        method: 'post',
        path: '/slots/:id/waitlist',
        operationId: 'joinWaitlist',
        summary: 'Join the waitlist of a full slot',
        description:
          'First come, first served by commit order. When a place frees up, the head of the line gets a hold with a ' +
          '`claimDeadline`; a missed claim passes to the next. 409 `slot_available` if the slot has places.',
        tag: 'Waitlist',
        access: 'customer',
        body: WaitlistJoin,
        bodyOptional: true,
        rateLimit: 'reserve',
        success: { status: 201, schema: WaitlistEntry, description: 'The entry with its position.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, body, params }) => {
        const userId = await customerFor(services, auth, body.customerId);
        return joinWaitlist(services.db, actorOf(c, auth), params.id!, userId, services.clock.now());
      },
    )
    .add(
      {
        method: 'get',
        path: '/waitlist',
        operationId: 'listWaitlist',
        summary: 'List waitlist entries',
        description: 'Newest first. A customer sees their own; staff and secret keys see the store’s.',
        tag: 'Waitlist',
        access: 'customer',
        query: WaitlistListQuery,
        success: { status: 200, schema: WaitlistList, description: 'A page of entries.' },
      },
      async ({ services, auth, query }) =>
        listEntries(
          services.db,
          auth.storeId,
          (await isStaff(services, auth)) ? undefined : auth.userId,
          query,
        ),
    )
    .add(
      {
        method: 'get',
        path: '/waitlist/:id',
        operationId: 'getWaitlistEntry',
        summary: 'Retrieve a waitlist entry with its live position',
        tag: 'Waitlist',
        access: 'customer',
        success: { status: 200, schema: WaitlistEntry, description: 'The entry.' },
        errors: [404],
      },
      async ({ services, auth, params }) =>
        getEntry(
          services.db,
          auth.storeId,
          params.id!,
          (await isStaff(services, auth)) ? undefined : auth.userId,
        ),
    )
    .add(
      {
        method: 'delete',
        path: '/waitlist/:id',
        operationId: 'leaveWaitlist',
        summary: 'Leave the waitlist',
        description: 'Leaving after a promotion declines the offered hold, which passes to the next in line.',
        tag: 'Waitlist',
        access: 'customer',
        success: { status: 200, schema: WaitlistEntry, description: 'The entry, now LEFT.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, params }) =>
        leaveWaitlist(services.db, actorOf(c, auth), params.id!, ownerScope(auth), services.clock.now()),
    );
}
