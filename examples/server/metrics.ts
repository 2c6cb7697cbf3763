/**
 * What an operator watches on drop day, in the Prometheus text format (`GET /metrics`, prom-client): reserve decisions
 * by outcome and their latency, the SSE subscribers of this process, its database pool, rate-limit refusals, and —
 * read when scraped, never on a request's path — holds and waitlist entries active and the notification and webhook
 * backlogs. Counting a request costs it no database round trip: counters and histograms live in memory.
 */
import { sql } from 'drizzle-orm';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { rows, type DatabaseHandle } from './db/index.js';

/** What the metrics read when scraped. */
export interface MetricSources {
  handle: DatabaseHandle;
  subscribers(): number;
}

/** Node's own figures (memory, CPU, event loop, GC): one set per process, however many apps it runs. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'dropslot_' });
  }
  return processRegistry;
}

export class Metrics {
  readonly registry = new Registry();
  readonly #decisions: Counter<'outcome'>;
  readonly #decisionSeconds: Histogram<'outcome'>;
  readonly #rateLimited: Counter<'route'>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    this.#decisions = new Counter({
      name: 'dropslot_reserve_decisions_total',
      help: 'Reserve requests decided, by outcome: held, a problem code (slot_full, already_reserved, …), or replayed.',
      labelNames: ['outcome'],
      registers,
    });
    this.#decisionSeconds = new Histogram({
      name: 'dropslot_reserve_decision_seconds',
      help: 'Time from a reserve request reaching the app to its answer, by outcome.',
      labelNames: ['outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.#rateLimited = new Counter({
      name: 'dropslot_rate_limit_refusals_total',
      help: 'Requests refused with 429, by route.',
      labelNames: ['route'],
      registers,
    });
    new Gauge({
      name: 'dropslot_sse_subscribers',
      help: 'Open drop streams on this process.',
      registers,
      collect() {
        this.set(sources.subscribers());
      },
    });
    const pool = sources.handle.pool;
    if (pool) {
      new Gauge({
        name: 'dropslot_db_pool_connections',
        help: 'Database pool of this process: connections open, idle, and requests waiting for one.',
        labelNames: ['state'],
        registers,
        collect() {
          this.set({ state: 'total' }, pool.totalCount);
          this.set({ state: 'idle' }, pool.idleCount);
          this.set({ state: 'waiting' }, pool.waitingCount);
        },
      });
    }
    const db = sources.handle.db;
    new Gauge({
      name: 'dropslot_active',
      help: 'Holds (pending reservations) and waitlist entries waiting or promoted, in every store (read when scraped).',
      labelNames: ['kind'],
      registers,
      async collect() {
        const [row] = await rows<{ holds: number; waitlist: number }>(
          db,
          sql`select (select count(*) from reservations where state = 'PENDING')::int as holds,
                (select count(*) from waitlist where state in ('WAITING', 'PROMOTED'))::int as waitlist`,
        );
        this.set({ kind: 'holds' }, row?.holds ?? 0);
        this.set({ kind: 'waitlist' }, row?.waitlist ?? 0);
      },
    });
    new Gauge({
      name: 'dropslot_backlog_age_seconds',
      help: 'Age of the oldest notification and webhook message still waiting to be sent (0 when none).',
      labelNames: ['queue'],
      registers,
      async collect() {
        const [row] = await rows<{ notifications: number | null; webhooks: number | null }>(
          db,
          sql`select
                (select extract(epoch from now() - min(created_at)) from notifications where status = 'pending')::float8
                  as notifications,
                (select extract(epoch from now() - min(created_at)) from webhook_events where delivery_status = 'pending')::float8
                  as webhooks`,
        );
        this.set({ queue: 'notifications' }, Math.max(0, row?.notifications ?? 0));
        this.set({ queue: 'webhooks' }, Math.max(0, row?.webhooks ?? 0));
      },
    });
  }

  /** Records one reserve decision and how long it took. */
  decision(outcome: string, seconds: number): void {
    this.#decisions.inc({ outcome });
    this.#decisionSeconds.observe({ outcome }, seconds);
  }

  /** Records a request refused with 429. */
  rateLimited(route: string): void {
    this.#rateLimited.inc({ route });
  }

  /** The text exposition and its content type. */
  async scrape(): Promise<{ body: string; contentType: string }> {
    const own = await this.registry.metrics();
    return { body: `${await processMetrics().metrics()}\n${own}`, contentType: this.registry.contentType };
  }
}
