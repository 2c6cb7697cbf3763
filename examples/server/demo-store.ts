/**
 * The demo store pages that `npm start` serves at its root URL, mounted through `createApp({ extend })`:
 *
 *   GET /                 the store's drops page: the widgets embedded exactly as a store would (one script tag,
 *                         elements in the markup), the publishable key filled in at serve time
 *   GET /ticket/:id       a reservation's ticket (`<reservation-ticket>`)
 *   GET /staff            door check-in for staff (`<check-in-desk>`)
 *   GET /dropslot.js      the script-tag bundle, `dist/cdn/dropslot.js` (+ its lazy chunks and source maps)
 *   GET /store/:file      the store's stylesheet and images (examples/store/)
 *
 * Pages are plain HTML files in examples/store/ with `{{name}}` placeholders (HTML-escaped), one repeated block
 * (`<!-- each drop -->…<!-- end drop -->`) and optional blocks (`<!-- if demo -->…<!-- end demo -->`). They carry no
 * inline script or style, and are sent with a strict Content-Security-Policy to show that the widgets need nothing more.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Hono } from 'hono';
import type { AppEnv } from './http/context.js';
import { serveStatic } from './http/static-asset.js';
import { formatMoney } from '../../src/money.js';
import type { Product } from '../../src/schemas/index.js';
import { getProduct, getStore, listProducts } from './domain/catalog.js';
import { listDrops } from './domain/drops.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const STORE_DIR = path.resolve(here, '../store');
const CDN_DIR = path.resolve(here, '../../dist/cdn');

/**
 * The policy of the demo pages: scripts, styles and connections from this origin only — no inline script or style.
 * Images may be `data:`/`blob:` URLs, and media `blob:` (the check-in camera). No `<base>` may redirect relative
 * URLs, forms post to this origin only, and `frame-ancestors` says who may frame the page: shop pages whoever the
 * store configures (`frameAncestors`, default this origin only), the staff desk nobody.
 */
export function demoCsp(frameAncestors: readonly string[] = ["'self'"]): string {
  const ancestors = frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'";
  return (
    "default-src 'self'; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; " +
    `base-uri 'none'; form-action 'self'; frame-ancestors ${ancestors}`
  );
}

/** The policy of the shop pages by default (framed by this origin only). */
export const DEMO_CSP = demoCsp();
/** The policy of the staff desk: never framed (no clickjacking of check-ins). */
export const STAFF_CSP = demoCsp([]);

export interface DemoStoreOptions {
  /** The store whose drops the page shows. */
  storeId: string;
  /** Its publishable key, written into the script tag (publishable keys are safe in pages). */
  publishableKey: string;
  /**
   * Who may frame the shop pages (`frame-ancestors` sources such as `'self'` or `https://partner.example`); empty:
   * nobody. The staff desk is never framed. @default ["'self'"]
   */
  frameAncestors?: readonly string[];
  /** Demo credentials shown on the pages, if any. */
  demo?: {
    shopper: { email: string; password: string };
    staff: { email: string; password: string };
  };
}

/** Where the options come from: fixed, or looked up per request (a test creates its store after the app). */
export type DemoStoreSource = DemoStoreOptions | (() => DemoStoreOptions | undefined);

/** The picture of a product on the page: its first image asset with its alt text, else a neutral placeholder. */
export function productPicture(product: Product): Vars {
  const image = product.assets.find((asset) => asset.type === 'image');
  if (image) {
    return {
      imageUrl: image.url,
      imageAlt: image.alt,
      imageWidth: String(image.width ?? 480),
      imageHeight: String(image.height ?? 320),
    };
  }
  // A legacy image URL has no alt text of its own: the product's name beside it says what it is.
  return {
    imageUrl: product.images[0] ?? '/store/product-placeholder.svg',
    imageAlt: '',
    imageWidth: '480',
    imageHeight: '320',
  };
}

const ASSET_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

type Vars = Record<string, string>;

/**
 * Fills a page template: optional blocks kept or dropped by `flags`, the `drop` block repeated per item of `drops`,
 * then `{{name}}` placeholders. Every value is HTML-escaped; an unknown placeholder is an error (a typo, not a blank).
 */
export function renderTemplate(
  template: string,
  vars: Vars,
  drops: Vars[] = [],
  flags: Record<string, boolean> = {},
) {
  const fill = (text: string, values: Vars) =>
    text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`Template placeholder {{${name}}} has no value`);
      return escapeHtml(value);
    });
  const withFlags = template.replace(
    /[ \t]*<!-- if (\w+) -->\n?([\s\S]*?)[ \t]*<!-- end \1 -->\n?/g,
    (_, name: string, body: string) => (flags[name] ? body : ''),
  );
  const withDrops = withFlags.replace(
    /[ \t]*<!-- each drop -->\n?([\s\S]*?)[ \t]*<!-- end drop -->\n?/g,
    (_, body: string) => drops.map((drop) => fill(body, { ...vars, ...drop })).join('\n'),
  );
  return fill(withDrops, vars);
}

const templates = new Map<string, Promise<string>>();
function template(name: string): Promise<string> {
  let text = templates.get(name);
  if (!text) {
    text = readFile(path.join(STORE_DIR, name), 'utf8');
    // Re-read after a failure, and on every request in development so edits show without a restart.
    text.catch(() => templates.delete(name));
    if (process.env.NODE_ENV === 'production') templates.set(name, text);
  }
  return text;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const DAY_NAMES: Record<(typeof WEEKDAYS)[number], string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** The values every page shares: the API origin, the key, the store and its (first) branch. */
async function pageVars(c: Context<AppEnv>, options: DemoStoreOptions): Promise<Vars> {
  const store = await getStore(c.get('services').db, options.storeId);
  const branch = store.branches[0];
  const hours = branch?.openingHours ?? {};
  const openingHours = WEEKDAYS.map(
    (day) => `${DAY_NAMES[day]} ${(hours[day] ?? ['closed']).join(', ')}`,
  ).join(' · ');
  return {
    api: new URL(c.req.url).origin,
    publishableKey: options.publishableKey,
    storeName: store.name,
    branchName: branch?.name ?? store.name,
    branchAddress: branch?.address ?? '',
    branchPhone: branch?.phone ?? '',
    openingHours,
    shopperEmail: options.demo?.shopper.email ?? '',
    shopperPassword: options.demo?.shopper.password ?? '',
    staffEmail: options.demo?.staff.email ?? '',
    staffPassword: options.demo?.staff.password ?? '',
  };
}

function page(c: Context<AppEnv>, html: string, csp: string) {
  return c.body(html, 200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    ...(csp === STAFF_CSP && { 'x-frame-options': 'DENY' }),
    'cache-control': 'no-store',
    'referrer-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
  });
}

function notFoundPage(c: Context<AppEnv>, text: string) {
  return c.body(text, 404, { 'content-type': 'text/plain; charset=utf-8' });
}

/** Mounts the demo store pages and the script-tag bundle on `app`. */
export function mountDemoStore(app: Hono<AppEnv>, source: DemoStoreSource): void {
  const options = () => (typeof source === 'function' ? source() : source);

  app.get('/', async (c) => {
    const o = options();
    if (!o) return notFoundPage(c, 'The demo store is not set up.');
    const { db, clock } = c.get('services');
    const now = clock.now();
    const vars = await pageVars(c, o);
    // Drops a shopper can still book first; a sold-out drop follows, leading with its waitlist.
    const drops = (await listDrops(db, o.storeId, { limit: 50 }, false, now)).data
      .filter((drop) => drop.phase !== 'ended')
      .sort((a, b) => Number(a.capacityRemaining <= 0) - Number(b.capacityRemaining <= 0));
    const items = await Promise.all(
      drops.map(async (drop) => {
        const product = await getProduct(db, o.storeId, drop.productId, true);
        return {
          dropId: drop.id,
          dropName: drop.name,
          dropDescription: drop.description ?? '',
          productName: product.name,
          ...productPicture(product),
          price: formatMoney(product.price.amount, product.price.currency, 'en'),
          phaseLabel:
            drop.phase === 'upcoming'
              ? 'Coming soon'
              : drop.capacityRemaining > 0
                ? 'Open now'
                : 'Sold out · waitlist open',
        };
      }),
    );
    return page(
      c,
      renderTemplate(await template('index.html'), vars, items, { demo: Boolean(o.demo) }),
      demoCsp(o.frameAncestors),
    );
  });

  app.get('/rentals', async (c) => {
    const o = options();
    if (!o) return notFoundPage(c, 'The demo store is not set up.');
    const { db } = c.get('services');
    const rentable = await listProducts(db, o.storeId, { rentable: 'true', limit: 100 }, false);
    const chosen = c.req.query('product');
    const product = rentable.data.find((p) => p.id === chosen) ?? rentable.data[0];
    const vars = { ...(await pageVars(c, o)), productId: product?.id ?? '' };
    return page(
      c,
      renderTemplate(await template('rentals.html'), vars, [], { demo: Boolean(o.demo) }),
      demoCsp(o.frameAncestors),
    );
  });

  app.get('/ticket/:id', async (c) => {
    const o = options();
    const id = c.req.param('id');
    if (!o || !UUID.test(id)) return notFoundPage(c, 'No such ticket.');
    const vars = { ...(await pageVars(c, o)), reservationId: id };
    return page(c, renderTemplate(await template('ticket.html'), vars), demoCsp(o.frameAncestors));
  });

  app.get('/staff', async (c) => {
    const o = options();
    if (!o) return notFoundPage(c, 'The demo store is not set up.');
    return page(
      c,
      renderTemplate(await template('staff.html'), await pageVars(c, o), [], { demo: Boolean(o.demo) }),
      STAFF_CSP,
    );
  });

  app.get('/store/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSET_TYPES[path.extname(file)];
    if (!type || !/^[a-z0-9-]+\.[a-z]+$/.test(file)) return notFoundPage(c, 'No such file.');
    try {
      return c.body(await readFile(path.join(STORE_DIR, file)), 200, {
        'content-type': type,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      });
    } catch {
      return notFoundPage(c, 'No such file.');
    }
  });

  // The script-tag bundle and what it loads lazily (`./chunks/…`, relative to the script's URL) or maps to.
  const serveCdn = async (c: Context<AppEnv>, relative: string) => {
    const type = relative.endsWith('.map')
      ? 'application/json; charset=utf-8'
      : 'text/javascript; charset=utf-8';
    try {
      // Lazy chunks carry their content hash in their name: cached for a year. `dropslot.js` keeps its URL (it is what
      // stores embed), so it is revalidated by ETag.
      return await serveStatic(c, path.join(CDN_DIR, relative), type, {
        immutable: relative.startsWith(`chunks${path.sep}`) || relative.startsWith('chunks/'),
      });
    } catch {
      return c.body(
        `// ${relative} is not built: run \`npm run build:cdn\` (npm start builds it when missing).\n`,
        404,
        { 'content-type': 'text/javascript; charset=utf-8' },
      );
    }
  };
  app.get('/dropslot.js', (c) => serveCdn(c, 'dropslot.js'));
  app.get('/dropslot.js.map', (c) => serveCdn(c, 'dropslot.js.map'));
  app.get('/chunks/:file', (c) => {
    const file = c.req.param('file');
    if (!/^[\w.-]+\.js(\.map)?$/.test(file)) return notFoundPage(c, 'No such file.');
    return serveCdn(c, path.join('chunks', file));
  });
}
