/** The fan-out hub alone: subscriptions survive other streams' late unsubscribes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { ManualClock } from '../../examples/server/clock.js';
import { EVENTS_CHANNEL } from '../../examples/server/db/index.js';
import { LiveHub, type Subscriber } from '../../examples/server/live.js';
import { createTestDatabase } from '../support/db.js';

const window = { startsAt: new Date('2030-01-01T00:00:00Z'), endsAt: new Date('2030-01-02T00:00:00Z') };

function recorder(): Subscriber & { frames: string[] } {
  const frames: string[] = [];
  const decoder = new TextDecoder();
  return { frames, send: (bytes) => frames.push(decoder.decode(bytes)), resync: () => {}, close: () => {} };
}

describe('live hub', () => {
  it('a late second unsubscribe of an old stream does not cut off newer subscribers', async () => {
    const database = await createTestDatabase('pglite');
    const handle = await database.open();
    const hub = new LiveHub(new ManualClock(Date.parse('2030-01-01T12:00:00Z')));
    await hub.start(handle);
    try {
      const old = recorder();
      const unsubscribeOld = hub.subscribe('d1', window, old);
      unsubscribeOld(); // the client went away: the drop has no subscribers now
      const fresh = recorder();
      hub.subscribe('d1', window, fresh);
      unsubscribeOld(); // the old stream's loop wakes up and unsubscribes again
      assert.equal(hub.subscriberCount('d1'), 1);
      const notice = {
        t: 'slot',
        dropId: 'd1',
        slotId: 's1',
        storeId: 'x',
        total: 5,
        reserved: 1,
        waitlist: 0,
      };
      await handle.db.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(notice)})`);
      for (let i = 0; i < 50 && fresh.frames.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(fresh.frames.length, 1);
      assert.match(fresh.frames[0]!, /event: slot/);
      assert.equal(old.frames.length, 0);
      // A payload that is not a notice of the channel's schema is ignored, never half-applied.
      await handle.db.execute(
        sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify({ t: 'slot', dropId: 'd1' })})`,
      );
      await handle.db.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify(notice)})`);
      for (let i = 0; i < 50 && fresh.frames.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(fresh.frames.length, 2, 'only the well-formed notice reached the stream');
    } finally {
      await hub.stop();
      await handle.close();
    }
  });
});
