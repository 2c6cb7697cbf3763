import { streamSSE } from 'hono/streaming';
import {
  Drop,
  DropCreate,
  DropList,
  DropListQuery,
  DropStreamQuery,
  DropUpdate,
  Slot,
  SlotCreate,
  SlotList,
  SlotUpdate,
  StreamSnapshot,
} from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import { actorOf } from '../http/actor.js';
import {
  createDrop,
  createSlot,
  getDrop,
  getSlot,
  listDrops,
  listSlots,
  updateDrop,
  updateSlot,
} from '../domain/drops.js';

/** Comment frames keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

export function dropRoutes(router: Router): void {
  router
    .add(
      {
        method: 'get',
        path: '/drops',
        operationId: 'listDrops',
        summary: 'List drops',
        description: 'Drops by start time, with their phase on server time and remaining capacity.',
        tag: 'Drops',
        access: 'key',
        query: DropListQuery,
        success: { status: 200, schema: DropList, description: 'A page of drops.' },
      },
      async ({ services, auth, query }) =>
        listDrops(services.db, auth.storeId, query, auth.keyKind === 'secret', services.clock.now()),
    )
    .add(
      {
        method: 'get',
        path: '/drops/:id',
        operationId: 'getDrop',
        summary: 'Retrieve a drop',
        tag: 'Drops',
        access: 'key',
        success: { status: 200, schema: Drop, description: 'The drop.' },
        errors: [404],
      },
      async ({ services, auth, params }) =>
        getDrop(services.db, auth.storeId, params.id!, auth.keyKind === 'secret', services.clock.now()),
    )
    .add(
      {
        method: 'post',
        path: '/drops',
        operationId: 'createDrop',
        summary: 'Create a drop',
        tag: 'Drops',
        access: 'owner',
        body: DropCreate,
        success: { status: 201, schema: Drop, description: 'The new drop.' },
        errors: [404],
      },
      async ({ c, services, auth, body }) =>
        createDrop(services.db, actorOf(c, auth), body, services.clock.now()),
    )
    .add(
      {
        method: 'patch',
        path: '/drops/:id',
        operationId: 'updateDrop',
        summary: 'Update a drop',
        tag: 'Drops',
        access: 'owner',
        body: DropUpdate,
        success: { status: 200, schema: Drop, description: 'The updated drop.' },
        errors: [404],
      },
      async ({ c, services, auth, body, params }) =>
        updateDrop(services.db, actorOf(c, auth), params.id!, body, services.clock.now()),
    )
    .add(
      {
        method: 'get',
        path: '/drops/:id/slots',
        operationId: 'listSlots',
        summary: 'List the slots of a drop',
        tag: 'Slots',
        access: 'key',
        success: { status: 200, schema: SlotList, description: 'Every slot of the drop by start time.' },
        errors: [404],
      },
      async ({ services, auth, params }) =>
        listSlots(services.db, auth.storeId, params.id!, auth.keyKind === 'secret', services.clock.now()),
    )
    .add(
      {
        method: 'post',
        path: '/drops/:id/slots',
        operationId: 'createSlot',
        summary: 'Add a slot to a drop',
        tag: 'Slots',
        access: 'owner',
        body: SlotCreate,
        success: { status: 201, schema: Slot, description: 'The new slot.' },
        errors: [404],
      },
      async ({ c, services, auth, body, params }) =>
        createSlot(services.db, actorOf(c, auth), params.id!, body, services.clock.now()),
    )
    .add(
      {
        method: 'get',
        path: '/slots/:id',
        operationId: 'getSlot',
        summary: 'Retrieve a slot',
        tag: 'Slots',
        access: 'key',
        success: { status: 200, schema: Slot, description: 'The slot with its live figures.' },
        errors: [404],
      },
      async ({ services, auth, params }) =>
        getSlot(services.db, auth.storeId, params.id!, auth.keyKind === 'secret'),
    )
    .add(
      {
        method: 'patch',
        path: '/slots/:id',
        operationId: 'updateSlot',
        summary: 'Update a slot',
        description:
          'Capacity may not go below the places taken; new places go to the waitlist first, in order.',
        tag: 'Slots',
        access: 'owner',
        body: SlotUpdate,
        success: { status: 200, schema: Slot, description: 'The updated slot.' },
        errors: [404, 409],
      },
      async ({ c, services, auth, body, params }) =>
        updateSlot(services.db, actorOf(c, auth), params.id!, body, services.clock.now()),
    )
    .add(
      {
        method: 'get',
        path: '/drops/:id/stream',
        operationId: 'streamDrop',
        summary: 'Live updates of a drop (server-sent events)',
        description:
          '`text/event-stream`. Every connection starts with `event: snapshot` (StreamSnapshot), then `event: slot` ' +
          '(SlotCapacityEvent) on every capacity or waitlist change from any server process and `event: phase` ' +
          '(DropPhaseEvent) when the drop opens or ends on server time. Reconnect with `Last-Event-ID`: the server ' +
          "answers with a fresh snapshot, so nothing is missed. Comment heartbeats every 15 s. The browser's own " +
          '`EventSource` sends no headers: it may give the publishable key as `?key=pk_…` instead (a secret key or a ' +
          'customer token in the URL is refused with 400 `credential_in_url`).',
        tag: 'Drops',
        access: 'key',
        query: DropStreamQuery,
        success: { status: 200, description: 'An event stream.', contentType: 'text/event-stream' },
        errors: [404],
      },
      async ({ c, services, auth, params }) => {
        const dropId = params.id!;
        const includeDrafts = auth.keyKind === 'secret';
        const first = await getDrop(services.db, auth.storeId, dropId, includeDrafts, services.clock.now());
        c.header('cache-control', 'no-store');
        c.header('x-accel-buffering', 'no');
        return streamSSE(c, async (stream) => {
          const { live } = services;
          const snapshot = async () => {
            const now = services.clock.now();
            const drop = await getDrop(services.db, auth.storeId, dropId, includeDrafts, now);
            const slots = await listSlots(services.db, auth.storeId, dropId, includeDrafts, now);
            live.updateWindow(dropId, new Date(drop.startsAt), new Date(drop.endsAt));
            await stream.write(live.frame('snapshot', StreamSnapshot.parse({ drop, slots: slots.data })));
          };
          let pending: Uint8Array[] | undefined = [];
          const unsubscribe = live.subscribe(
            dropId,
            { startsAt: new Date(first.startsAt), endsAt: new Date(first.endsAt) },
            {
              // Every connection starts with its snapshot: frames heard while it is read wait for it (they are
              // absolute values in commit order, so sending them after it converges on the latest state).
              send: (frame) => {
                if (pending) pending.push(frame);
                else void stream.write(frame).catch(() => {});
              },
              resync: () => void snapshot().catch(() => {}),
              close: (frame) =>
                void stream
                  .write(frame)
                  .catch(() => {})
                  .finally(() => void stream.close()),
            },
          );
          stream.onAbort(unsubscribe);
          await stream.write('retry: 2000\n\n');
          await snapshot();
          const heard = pending;
          pending = undefined;
          for (const frame of heard) await stream.write(frame);
          while (!stream.aborted && !stream.closed) {
            await stream.sleep(HEARTBEAT_MS);
            await stream.write(': ping\n\n');
          }
          unsubscribe();
        });
      },
    );
}
