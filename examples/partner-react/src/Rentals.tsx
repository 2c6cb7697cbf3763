/**
 * Renting: pick a product, then a date range in a month calendar of free units per day (days in the store's time
 * zone, from `client.rentals.availability(productId, { month })`), and see the itemised quote for it.
 */
import { useEffect, useState } from 'react';
import { formatMoney, type AvailabilityMonth, type Product, type RentalQuote, type Store } from 'dropslot';
import { client } from './dropslot.js';
import { problemText } from './format.js';

type Day = AvailabilityMonth['days'][number];

/** `YYYY-MM` of `date` in `timeZone`. */
function monthOf(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    timeZone,
  }).formatToParts(date);
  return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
}

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function Rentals({ store }: { store: Store }) {
  const [products, setProducts] = useState<Product[] | null>(null);
  const [product, setProduct] = useState<Product | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    client.products.list({ rentable: 'true', limit: 50 }).then(
      (page) => setProducts(page.data),
      (e: unknown) => setError(problemText(e)),
    );
  }, []);

  if (error)
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  if (!products) return <p className="muted">Loading the catalog…</p>;
  return (
    <div className="rentals">
      <ul className="products" aria-label="Products to rent">
        {products.map((p) => (
          <li key={p.id}>
            <button
              type="button"
              className={p.id === product?.id ? 'product-card active' : 'product-card'}
              aria-pressed={p.id === product?.id}
              onClick={() => setProduct(p)}
            >
              <span className="product-name">{p.name}</span>
              {p.rental && (
                <span className="muted">
                  {formatMoney(p.rental.basePrice.amount, p.rental.basePrice.currency, store.locale)} /{' '}
                  {p.rental.pricingUnit}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {product && <DatePicker key={product.id} product={product} store={store} />}
    </div>
  );
}

function DatePicker({ product, store }: { product: Product; store: Store }) {
  const [month, setMonth] = useState(() => monthOf(new Date(client.clock.now()), store.timeZone));
  const [availability, setAvailability] = useState<AvailabilityMonth | null>(null);
  const [range, setRange] = useState<{ from: Day; to: Day | null } | null>(null);
  const [quote, setQuote] = useState<RentalQuote | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setAvailability(null);
    client.rentals.availability(product.id, { month }).then(
      (a) => current && setAvailability(a),
      (e: unknown) => current && setError(problemText(e)),
    );
    return () => {
      current = false;
    };
  }, [product.id, month]);

  useEffect(() => {
    setQuote(null);
    if (!range?.to) return;
    let current = true;
    // Pickup at the first open time of the first day, return at the last open time of the last day: the store's pickup
    // branch (its first with opening hours) says when it is open; without one, the whole days.
    const branch = store.branches.find((b) => b.openingHours);
    const period = branch
      ? client.branches.hours(branch.id, { from: range.from.date, to: range.to.date }).then(({ days }) => ({
          start: days[0]?.times[0] ?? range.from.start,
          end: days.at(-1)?.times.at(-1) ?? range.to!.end,
        }))
      : Promise.resolve({ start: range.from.start, end: range.to.end });
    period
      .then((p) => client.rentals.quotes.create({ items: [{ productId: product.id, quantity: 1 }], ...p }))
      .then(
        (q) => current && setQuote(q),
        (e: unknown) => current && setError(problemText(e)),
      );
    return () => {
      current = false;
    };
  }, [product.id, range, store]);

  const pick = (day: Day) => {
    setError(null);
    if (!range || range.to || day.date < range.from.date) setRange({ from: day, to: null });
    else setRange({ from: range.from, to: day });
  };
  const inRange = (day: Day) =>
    range !== null && day.date >= range.from.date && day.date <= (range.to ?? range.from).date;
  const title = new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(`${month}-01T12:00:00Z`),
  );
  const firstWeekday = (new Date(`${month}-01T12:00:00Z`).getUTCDay() + 6) % 7; // Monday first
  const now = client.clock.now();

  return (
    <section className="picker" aria-labelledby="picker-title">
      <div className="picker-head">
        <button
          type="button"
          className="secondary"
          aria-label="Previous month"
          onClick={() => setMonth(shiftMonth(month, -1))}
        >
          ‹
        </button>
        <h2 id="picker-title">{title}</h2>
        <button
          type="button"
          className="secondary"
          aria-label="Next month"
          onClick={() => setMonth(shiftMonth(month, 1))}
        >
          ›
        </button>
      </div>
      <p className="muted">
        {range === null
          ? 'Choose the first day.'
          : range.to === null
            ? `From ${range.from.date}: choose the last day.`
            : `${range.from.date} to ${range.to.date}`}
      </p>
      {!availability ? (
        <p className="muted">Loading availability…</p>
      ) : (
        <div className="calendar" role="group" aria-label={`Days of ${title}`}>
          {['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'].map((d) => (
            <span key={d} className="weekday" aria-hidden="true">
              {d}
            </span>
          ))}
          {Array.from({ length: firstWeekday }, (_, i) => (
            <span key={`pad${i}`} />
          ))}
          {availability.days.map((day) => {
            // Rentals start in the future: today is past its first instant already.
            const past = Date.parse(day.start) <= now;
            const free = day.freeUnits > 0 && !past;
            return (
              <button
                key={day.date}
                type="button"
                className={inRange(day) ? 'day selected' : 'day'}
                disabled={!free}
                aria-pressed={inRange(day)}
                aria-label={`${day.date}, ${free ? `${day.freeUnits} free` : 'unavailable'}`}
                data-date={day.date}
                onClick={() => pick(day)}
              >
                <span>{Number(day.date.slice(8))}</span>
                {free && <small>{day.freeUnits}</small>}
              </button>
            );
          })}
        </div>
      )}
      {quote && (
        <div className="panel quote" data-testid="quote">
          <ul>
            {quote.lines.map((line) => (
              <li key={line.productId}>
                {line.name}: {line.units} {line.pricingUnit}
                {line.units === 1 ? '' : 's'} × {formatMoney(line.unitPrice, quote.currency, store.locale)}
              </li>
            ))}
          </ul>
          <p className="total">
            Total{' '}
            <strong data-testid="quote-total">
              {formatMoney(quote.total, quote.currency, store.locale)}
            </strong>
          </p>
          {!quote.available && <p className="error">Not enough units are free for these days.</p>}
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
