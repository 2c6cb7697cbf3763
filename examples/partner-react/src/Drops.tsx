/**
 * The drop page, built on the SDK's stores through `@nanostores/react`: `createDropStore` (drop and slots kept live
 * from the stream), `$now` (server time) for the countdown and the hold timer, `createHoldStore` for the hold and
 * the ticket, `createWaitlistStore` for a full slot's waitlist.
 */
import { useEffect, useMemo, useState } from 'react';
import { useStore } from '@nanostores/react';
import { renderSVG } from 'uqr';
import {
  $now,
  createDropStore,
  createHoldStore,
  createWaitlistStore,
  type Drop,
  type HoldStatus,
  type Reservation,
  type Slot,
  type Store,
} from 'dropslot';
import { $customer, client } from './dropslot.js';
import { clock, problemText, timeRange } from './format.js';

export function Drops({ store }: { store: Store }) {
  const [drops, setDrops] = useState<Drop[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  useEffect(() => {
    client.drops.list({ limit: 20 }).then(
      (page) => {
        setDrops(page.data);
        setSelected(
          (current) =>
            current ??
            page.data.find((d) => d.phase === 'live' && d.capacityRemaining > 0)?.id ??
            page.data[0]?.id ??
            null,
        );
      },
      (e: unknown) => setError(problemText(e)),
    );
  }, []);

  if (error)
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  if (!drops) return <p className="muted">Loading drops…</p>;
  if (drops.length === 0) return <p className="muted">No drops right now.</p>;
  return (
    <div className="drops">
      <ul className="drop-list" aria-label="Drops">
        {drops.map((drop) => (
          <li key={drop.id}>
            <button
              type="button"
              className={drop.id === selected ? 'drop-card active' : 'drop-card'}
              aria-current={drop.id === selected}
              onClick={() => setSelected(drop.id)}
            >
              <span className="drop-name">{drop.name}</span>
              <span className={`phase phase-${drop.phase}`}>{drop.phase}</span>
            </button>
          </li>
        ))}
      </ul>
      {/* A fresh set of stores per drop: the key remounts the page. */}
      {selected && <DropPage key={selected} dropId={selected} timeZone={store.timeZone} />}
    </div>
  );
}

function DropPage({ dropId, timeZone }: { dropId: string; timeZone: string }) {
  const live = useMemo(() => createDropStore(client, dropId), [dropId]);
  const hold = useMemo(() => createHoldStore(client), [dropId]);
  const waitlist = useMemo(() => createWaitlistStore(client, { pollInterval: 2000 }), [dropId]);
  const drop = useStore(live.$drop);
  const slots = useStore(live.$slots);
  const connection = useStore(live.$connection);
  const now = useStore($now);
  const customer = useStore($customer);
  const held = useStore(hold.$hold);
  const waiting = useStore(waitlist.$waitlist);

  if (!drop) return <section className="drop-page muted">Connecting to the drop…</section>;

  const busy = held.status === 'reserving' || held.status === 'held' || held.status === 'confirming';
  const opensIn = Date.parse(drop.startsAt) - now;

  return (
    <section className="drop-page" aria-labelledby="drop-title">
      <div className="drop-head">
        <h2 id="drop-title">{drop.name}</h2>
        <span className={`connection connection-${connection}`} data-testid="connection">
          {connection === 'open' ? 'Live' : connection}
        </span>
      </div>

      {drop.phase === 'upcoming' && (
        <div className="countdown" role="timer" aria-label="Opens in" data-testid="countdown">
          <span className="countdown-label">Opens in</span>
          <span className="countdown-value">{clock(opensIn)}</span>
        </div>
      )}
      {drop.phase === 'ended' && <p className="muted">This drop has ended.</p>}
      <p className="muted" data-testid="remaining">
        {drop.capacityRemaining} of {drop.capacityTotal} places left
      </p>

      <ul className="slots" aria-label="Slots">
        {slots.map((slot) => (
          <SlotRow
            key={slot.id}
            slot={slot}
            timeZone={timeZone}
            canAct={drop.phase === 'live' && customer !== null && !busy && waiting.status !== 'waiting'}
            onReserve={() => void hold.reserve(slot.id)}
            onWaitlist={() => void waitlist.join(slot.id)}
          />
        ))}
      </ul>
      {!customer && drop.phase === 'live' && <p className="hint">Sign in to hold a place.</p>}

      <HoldPanel
        status={held.status}
        reservation={held.reservation}
        error={held.error ? problemText(held.error) : null}
        now={now}
        onConfirm={() => void hold.confirm()}
        onCancel={() => void hold.cancel()}
        onDone={() => hold.reset()}
      />

      {waiting.status !== 'idle' && (
        <div className="panel waitlist" data-testid="waitlist" aria-live="polite">
          {waiting.status === 'joining' && <p>Joining the waitlist…</p>}
          {waiting.status === 'waiting' && (
            <>
              <p>
                You are <strong>#{waiting.entry?.position}</strong> in line. We hold a place for you the
                moment one frees up.
              </p>
              <button type="button" className="secondary" onClick={() => void waitlist.leave()}>
                Leave the waitlist
              </button>
            </>
          )}
          {waiting.status === 'promoted' && waiting.entry?.claimDeadline && (
            <>
              <p>
                A place is yours: claim it within{' '}
                <strong>{clock(Date.parse(waiting.entry.claimDeadline) - now)}</strong>.
              </p>
              <button type="button" onClick={() => void waitlist.claim()}>
                Claim my place
              </button>
            </>
          )}
          {waiting.status === 'claimed' && waiting.reservation && (
            <Ticket reservation={waiting.reservation} />
          )}
          {waiting.status === 'left' && <p>You left the waitlist.</p>}
          {waiting.status === 'expired' && <p>The claim time ran out; the place went to the next in line.</p>}
          {waiting.error && (
            <p role="alert" className="error">
              {problemText(waiting.error)}
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function SlotRow(props: {
  slot: Slot;
  timeZone: string;
  canAct: boolean;
  onReserve(): void;
  onWaitlist(): void;
}) {
  const { slot } = props;
  const full = slot.capacityRemaining === 0;
  const when = timeRange(slot.startsAt, slot.endsAt, props.timeZone);
  return (
    <li className={full ? 'slot full' : 'slot'} data-slot={slot.id}>
      <span className="slot-time">{when}</span>
      <span className="slot-meter" aria-hidden="true">
        <span style={{ width: `${(100 * slot.capacityReserved) / Math.max(1, slot.capacityTotal)}%` }} />
      </span>
      <span className="slot-left">
        {full ? `Sold out · ${slot.waitlistCount} waiting` : `${slot.capacityRemaining} left`}
      </span>
      {full ? (
        <button type="button" className="secondary" disabled={!props.canAct} onClick={props.onWaitlist}>
          Join waitlist <span className="sr-only">for {when}</span>
        </button>
      ) : (
        <button type="button" disabled={!props.canAct} onClick={props.onReserve}>
          Hold <span className="sr-only">{when}</span>
        </button>
      )}
    </li>
  );
}

function HoldPanel(props: {
  status: HoldStatus;
  reservation: Reservation | null;
  error: string | null;
  now: number;
  onConfirm(): void;
  onCancel(): void;
  onDone(): void;
}) {
  const { status, reservation } = props;
  if (status === 'idle') return null;
  return (
    <div className="panel hold" data-testid="hold" aria-live="polite">
      {status === 'reserving' && <p>Holding your place…</p>}
      {(status === 'held' || status === 'confirming') && reservation?.expiresAt && (
        <>
          <p>
            Your place is held for{' '}
            <strong role="timer" data-testid="hold-timer">
              {clock(Date.parse(reservation.expiresAt) - props.now)}
            </strong>
            . Confirm before the timer runs out.
          </p>
          <div className="actions">
            <button type="button" disabled={status === 'confirming'} onClick={props.onConfirm}>
              Confirm
            </button>
            <button
              type="button"
              className="secondary"
              disabled={status === 'confirming'}
              onClick={props.onCancel}
            >
              Release
            </button>
          </div>
        </>
      )}
      {status === 'confirmed' && reservation && <Ticket reservation={reservation} />}
      {status === 'expired' && (
        <p>
          Your hold expired.{' '}
          <button type="button" className="link" onClick={props.onDone}>
            Try again
          </button>
        </p>
      )}
      {status === 'cancelled' && (
        <p>
          Released.{' '}
          <button type="button" className="link" onClick={props.onDone}>
            OK
          </button>
        </p>
      )}
      {props.error && (
        <p role="alert" className="error">
          {props.error}{' '}
          {status === 'error' && (
            <button type="button" className="link" onClick={props.onDone}>
              Dismiss
            </button>
          )}
        </p>
      )}
    </div>
  );
}

/** The ticket: the check-in code as a QR code (uqr renders SVG) and as text. */
function Ticket({ reservation }: { reservation: Reservation }) {
  const svg = useMemo(
    () => (reservation.qrToken ? renderSVG(reservation.qrToken) : ''),
    [reservation.qrToken],
  );
  return (
    <div className="ticket" data-testid="ticket">
      <h3>Your ticket</h3>
      {svg && (
        <div
          className="qr"
          role="img"
          aria-label="Check-in QR code"
          dangerouslySetInnerHTML={{ __html: svg }}
        />
      )}
      <p className="muted">Show this code at the door.</p>
      <code className="code" data-testid="ticket-code">
        {reservation.qrToken}
      </code>
    </div>
  );
}
