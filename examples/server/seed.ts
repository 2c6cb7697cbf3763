/** Stores with keys, and the demo store `npm start` shows: drops opening soon, open now, and sold out with a waitlist. */
import { eq, sql } from 'drizzle-orm';
import { hash } from '@node-rs/argon2';
import { schema, transaction, type Database, type Executor } from './db/index.js';
import { newApiKey, provisionStore } from './domain/stores.js';
import type { Clock } from './clock.js';

/** A new API key: `pk_test_…` or `sk_test_…` (the operator API, the CLI and the seed make keys the same way). */
export { newApiKey };

export interface StoreInput {
  name: string;
  slug: string;
  currency?: string;
  timeZone?: string;
  locale?: string;
  allowedOrigins?: string[];
  /** How rentals are paid (default `online`). */
  rentalPayment?: 'online' | 'at_pickup';
}

export interface CreatedStore {
  storeId: string;
  publishableKey: string;
  secretKey: string;
}

/**
 * Creates a store with one publishable and one secret key; the keys are returned once and stored hashed. The same code
 * path as `POST /v1/stores` and `npm run dropslot -- store create` (`provisionStore`).
 */
export async function createStore(db: Executor, input: StoreInput, now: Date): Promise<CreatedStore> {
  const made = await provisionStore(db, input, now);
  return { storeId: made.store.id, publishableKey: made.publishableKey, secretKey: made.secretKey };
}

/** Creates a user of a store with a password and roles. */
export async function createUser(
  db: Executor,
  storeId: string,
  input: { email: string; password?: string; name?: string; roles: ('owner' | 'staff' | 'customer')[] },
  now: Date,
): Promise<string> {
  const [user] = await db
    .insert(schema.users)
    .values({
      storeId,
      email: input.email.toLowerCase(),
      name: input.name ?? null,
      passwordHash: input.password ? await hash(input.password) : null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  for (const role of input.roles) {
    await db.execute(
      sql`insert into user_roles (user_id, role_id, store_id) select ${user!.id}, id, ${storeId} from roles where code = ${role}`,
    );
  }
  return user!.id;
}

export const DEMO_SLUG = 'demo';
const DEMO_ZONE = 'Europe/Berlin';

/** The instant when the wall clock in `timeZone` shows `hour`:00 on the calendar day of `day` there. */
export function atLocalTime(day: Date, hour: number, timeZone: string): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(day)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), hour);
  // The zone's offset at that wall time, read back through Intl (exact outside the hour a DST change skips).
  const probe = new Date(wall);
  const shown = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      day: '2-digit',
    })
      .formatToParts(probe)
      .map((p) => [p.type, Number(p.value)]),
  );
  let dayShift = shown.day! - Number(parts.day);
  if (dayShift > 1) dayShift = -1; // shown on the last day of the previous month
  if (dayShift < -1) dayShift = 1; // shown on the first day of the next month
  const shownMinutes = dayShift * 1440 + shown.hour! * 60 + shown.minute!;
  return new Date(wall - (shownMinutes - hour * 60) * 60_000);
}
export const DEMO_STAFF = { email: 'staff@demo.dropslot.test', password: 'dropslot-staff' };
export const DEMO_SHOPPER = { email: 'shopper@demo.dropslot.test', password: 'dropslot-shopper' };

export interface DemoSeed extends CreatedStore {
  created: boolean;
}

/** Seeds the demo store once; later calls find it and return `created: false` (keys are only known on creation). */
export async function seedDemo(
  db: Database,
  clock: Clock,
  options: {
    /**
     * How the demo store is paid: `at_pickup` (default: shoppers confirm holds and rentals themselves) or `online`
     * (paid drops and rental invoices through the payment step, with the test provider unless Stripe is set up).
     */
    payments?: 'at_pickup' | 'online';
  } = {},
): Promise<DemoSeed | { created: false; storeId: string }> {
  const online = options.payments === 'online';
  const [existing] = await db
    .select({ id: schema.stores.id })
    .from(schema.stores)
    .where(eq(schema.stores.slug, DEMO_SLUG));
  if (existing) return { created: false, storeId: existing.id };
  const now = clock.now();
  const minute = 60_000;
  const hour = 60 * minute;
  const day = 24 * hour;
  // Slots run from 10:00 tomorrow in the store's zone, hourly, as a real store would open them.
  const tomorrow = atLocalTime(new Date(now.getTime() + day), 10, DEMO_ZONE);
  return transaction(db, async (tx) => {
    const keys = await createStore(
      tx,
      {
        name: 'Northside Sneakers',
        slug: DEMO_SLUG,
        currency: 'EUR',
        timeZone: 'Europe/Berlin',
        locale: 'en',
        rentalPayment: online ? 'online' : 'at_pickup',
      },
      now,
    );
    const { storeId } = keys;
    // By default the demo store takes payment at pickup: its shoppers confirm their holds themselves (docs/payments.md).
    await tx.update(schema.stores).set({ dropPaymentRequired: online }).where(eq(schema.stores.id, storeId));
    const [branch] = await tx
      .insert(schema.branches)
      .values({
        storeId,
        name: 'Northside Mitte',
        address: 'Torstraße 101, 10119 Berlin',
        lat: 52.5291,
        lng: 13.4013,
        phone: '+49 30 1234567',
        timeZone: 'Europe/Berlin',
        openingHours: {
          mon: ['10:00-20:00'],
          tue: ['10:00-20:00'],
          wed: ['10:00-20:00'],
          thu: ['10:00-20:00'],
          fri: ['10:00-21:00'],
          sat: ['10:00-18:00'],
          sun: ['10:00-16:00'],
        },
        createdAt: now,
      })
      .returning();
    await createUser(
      tx,
      storeId,
      { email: DEMO_STAFF.email, password: DEMO_STAFF.password, name: 'Sam (staff)', roles: ['staff'] },
      now,
    );
    await createUser(
      tx,
      storeId,
      {
        email: 'owner@demo.dropslot.test',
        password: 'dropslot-owner',
        name: 'Olivia (owner)',
        roles: ['owner'],
      },
      now,
    );
    const shopper = await createUser(
      tx,
      storeId,
      { email: DEMO_SHOPPER.email, password: DEMO_SHOPPER.password, name: 'Alex', roles: ['customer'] },
      now,
    );

    const products = await tx
      .insert(schema.products)
      .values(
        [
          {
            sku: 'AUR-RUN-MID',
            name: 'Aurora Runner “Midnight”',
            description: 'Reflective knit runner, numbered pairs.',
            priceCents: 18900,
          },
          {
            sku: 'CRT-CLS-WHT',
            name: 'Court Classic White',
            description: 'The leather court shoe, restocked.',
            priceCents: 11900,
          },
          {
            sku: 'CLB-LOW-EMB',
            name: 'Collab Low “Ember”',
            description: 'Suede low-top with hand-dyed laces. 6 pairs.',
            priceCents: 24900,
          },
        ].map((p) => ({
          ...p,
          storeId,
          currency: 'EUR',
          images: [DEMO_PRODUCT_IMAGES[p.sku]!.url],
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning();
    const [aurora, court, ember] = products as [
      (typeof products)[0],
      (typeof products)[0],
      (typeof products)[0],
    ];
    // Each product its own picture (examples/store/), with its text alternative.
    await tx.insert(schema.productAssets).values(
      products.map((p) => ({
        storeId,
        productId: p.id,
        assetType: 'image',
        ...DEMO_PRODUCT_IMAGES[p.sku]!,
        contentType: 'image/svg+xml',
        position: 0,
        createdAt: now,
        updatedAt: now,
      })),
    );

    const rule = { holdTtlSeconds: 600, claimTtlSeconds: 900, maxPerCustomer: 1 };
    const drops = await tx
      .insert(schema.drops)
      .values(
        [
          {
            productId: aurora.id,
            name: 'Aurora Runner — midnight drop',
            description: 'Opens a few minutes after the server starts. Pick a fitting slot at the store.',
            startsAt: new Date(now.getTime() + 3 * minute),
            endsAt: new Date(now.getTime() + 2 * day),
          },
          {
            productId: court.id,
            name: 'Court Classic restock',
            description: 'Open now: book a fitting slot.',
            startsAt: new Date(now.getTime() - hour),
            endsAt: new Date(now.getTime() + 3 * day),
          },
          {
            productId: ember.id,
            name: 'Collab Low “Ember” — sold out',
            description: 'Every place is taken; join a waitlist to be offered a freed place.',
            startsAt: new Date(now.getTime() - 2 * hour),
            endsAt: new Date(now.getTime() + 3 * day),
          },
        ].map((d) => ({
          ...d,
          storeId,
          branchId: branch!.id,
          reservationRule: rule,
          status: 'published',
          createdAt: now,
          updatedAt: now,
        })),
      )
      .returning();
    const [auroraDrop, courtDrop, emberDrop] = drops as [
      (typeof drops)[0],
      (typeof drops)[0],
      (typeof drops)[0],
    ];
    const slotRows = (dropId: string, count: number, capacity: (i: number) => number) =>
      Array.from({ length: count }, (_, i) => ({
        storeId,
        dropId,
        startTime: new Date(tomorrow.getTime() + i * hour),
        endTime: new Date(tomorrow.getTime() + (i + 1) * hour),
        capacityTotal: capacity(i),
        createdAt: now,
        updatedAt: now,
      }));
    await tx
      .insert(schema.slots)
      .values([
        ...slotRows(auroraDrop.id, 6, () => 20),
        ...slotRows(courtDrop.id, 8, (i) => [10, 15, 25, 25, 20, 15, 10, 5][i]!),
      ]);
    const emberSlots = await tx
      .insert(schema.slots)
      .values(slotRows(emberDrop.id, 2, () => 3))
      .returning();

    // Sold out: every place of the Ember drop is held (confirmed) by demo customers; two more wait in line.
    let n = 0;
    for (const slot of emberSlots) {
      for (let i = 0; i < slot.capacityTotal; i++) {
        const userId = await createUser(
          tx,
          storeId,
          { email: `fan${++n}@demo.dropslot.test`, name: `Fan ${n}`, roles: ['customer'] },
          now,
        );
        await tx.insert(schema.reservations).values({
          storeId,
          dropId: emberDrop.id,
          slotId: slot.id,
          userId,
          state: 'CONFIRMED',
          source: 'direct',
          createdAt: now,
          updatedAt: now,
          confirmedAt: now,
        });
      }
      for (let i = 0; i < 2; i++) {
        const userId = await createUser(
          tx,
          storeId,
          { email: `fan${++n}@demo.dropslot.test`, name: `Fan ${n}`, roles: ['customer'] },
          now,
        );
        await tx.insert(schema.waitlist).values({
          storeId,
          dropId: emberDrop.id,
          slotId: slot.id,
          userId,
          position: i + 1,
          state: 'WAITING',
          createdAt: now,
          updatedAt: now,
        });
      }
      await tx
        .update(schema.slots)
        .set({ capacityReserved: slot.capacityTotal, capacityWaitlist: 2, waitlistSeq: 2 })
        .where(eq(schema.slots.id, slot.id));
    }
    await seedRentalCatalog(tx, storeId, 'EUR', now);
    void shopper;
    return { ...keys, created: true };
  });
}

/** The demo products' pictures (served from examples/store/ by the demo store) and their alt text. */
export const DEMO_PRODUCT_IMAGES: Record<string, { url: string; alt: string }> = {
  'AUR-RUN-MID': {
    url: '/store/aurora-runner.svg',
    alt: 'Aurora Runner in midnight blue knit with neon yellow laces and sole stripe, side view',
  },
  'CRT-CLS-WHT': {
    url: '/store/court-classic.svg',
    alt: 'Court Classic in white leather with a green heel tab and cream sole, side view',
  },
  'CLB-LOW-EMB': {
    url: '/store/collab-ember.svg',
    alt: 'Collab Low in ember orange suede with yellow laces and a stitched side panel, side view',
  },
  'RENT-CAM-1': {
    url: '/store/camera.svg',
    alt: 'Black mirrorless camera body with its lens, front view',
  },
  'RENT-BIKE-1': { url: '/store/bike.svg', alt: 'Black city e-bike with a green battery, side view' },
  'RENT-TENT-1': { url: '/store/tent.svg', alt: 'Orange two-person tent, pitched' },
};

export interface RentalProductInput {
  sku: string;
  name: string;
  basePriceCents: number;
  pricingUnit: 'hour' | 'day' | 'week';
  currency?: string;
  categoryId?: string | null;
  /** Units in service (status `available`). */
  units: number;
  /** Extra units in maintenance: never offered. */
  maintenanceUnits?: number;
  /** Image URLs, each with its alt text (`{ url, alt }`) or without (a plain URL). */
  images?: (string | { url: string; alt: string })[];
}

/** A rentable product with its physical units (serials `{sku}-001`…). */
export async function createRentalProduct(
  db: Executor,
  storeId: string,
  input: RentalProductInput,
  now: Date,
): Promise<{ productId: string; unitIds: string[] }> {
  const [product] = await db
    .insert(schema.products)
    .values({
      storeId,
      sku: input.sku,
      name: input.name,
      currency: input.currency ?? 'EUR',
      priceCents: 0,
      isRentable: true,
      basePriceCents: input.basePriceCents,
      pricingUnit: input.pricingUnit,
      categoryId: input.categoryId ?? null,
      images: (input.images ?? []).map((image) => (typeof image === 'string' ? image : image.url)),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const productId = product!.id;
  if (input.images?.length) {
    await db.insert(schema.productAssets).values(
      input.images.map((image, position) => ({
        storeId,
        productId,
        assetType: 'image',
        ...(typeof image === 'string' ? { url: image } : image),
        position,
        createdAt: now,
        updatedAt: now,
      })),
    );
  }
  const total = input.units + (input.maintenanceUnits ?? 0);
  const units = total
    ? await db
        .insert(schema.inventoryItems)
        .values(
          Array.from({ length: total }, (_, i) => ({
            storeId,
            productId,
            serial: `${input.sku}-${String(i + 1).padStart(3, '0')}`,
            status: i < input.units ? 'available' : 'maintenance',
            createdAt: now,
            updatedAt: now,
          })),
        )
        .returning({ id: schema.inventoryItems.id })
    : [];
  return { productId, unitIds: units.map((u) => u.id) };
}

/** The demo store's rental catalog: a small category tree, three products with units, a promo and a plan. */
export async function seedRentalCatalog(
  db: Executor,
  storeId: string,
  currency: string,
  now: Date,
): Promise<void> {
  const [gear] = await db
    .insert(schema.categories)
    .values({ storeId, name: 'Gear', slug: 'gear', position: 0, createdAt: now, updatedAt: now })
    .returning();
  const [cameras, bikes] = await db
    .insert(schema.categories)
    .values([
      {
        storeId,
        parentId: gear!.id,
        name: 'Cameras',
        slug: 'cameras',
        position: 0,
        createdAt: now,
        updatedAt: now,
      },
      {
        storeId,
        parentId: gear!.id,
        name: 'Bikes',
        slug: 'bikes',
        position: 1,
        createdAt: now,
        updatedAt: now,
      },
    ])
    .returning();
  const camera = await createRentalProduct(
    db,
    storeId,
    {
      sku: 'RENT-CAM-1',
      images: [DEMO_PRODUCT_IMAGES['RENT-CAM-1']!],
      name: 'Mirrorless camera kit',
      basePriceCents: 3500,
      pricingUnit: 'day',
      currency,
      categoryId: cameras!.id,
      units: 3,
      maintenanceUnits: 1,
    },
    now,
  );
  await createRentalProduct(
    db,
    storeId,
    {
      sku: 'RENT-BIKE-1',
      images: [DEMO_PRODUCT_IMAGES['RENT-BIKE-1']!],
      name: 'City e-bike',
      basePriceCents: 900,
      pricingUnit: 'hour',
      currency,
      categoryId: bikes!.id,
      units: 5,
    },
    now,
  );
  await createRentalProduct(
    db,
    storeId,
    {
      sku: 'RENT-TENT-1',
      images: [DEMO_PRODUCT_IMAGES['RENT-TENT-1']!],
      name: 'Two-person tent',
      basePriceCents: 6000,
      pricingUnit: 'week',
      currency,
      categoryId: gear!.id,
      units: 2,
    },
    now,
  );
  await db.insert(schema.promotions).values({
    storeId,
    code: 'WELCOME10',
    discountType: 'percent',
    value: 10,
    validFrom: now,
    validTo: new Date(now.getTime() + 365 * 86_400_000),
    maxRedemptions: 100,
    createdAt: now,
    updatedAt: now,
  });
  const [plan] = await db
    .insert(schema.subscriptionPlans)
    .values({
      storeId,
      name: 'Creator',
      discountPct: 20,
      durationDays: 30,
      priceCents: 1900,
      currency,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await db
    .insert(schema.subscriptionPlanProducts)
    .values({ storeId, planId: plan!.id, productId: camera.productId });
}
