import * as z from 'zod/mini';
import { Currency, Id, Timestamp } from './common.js';
import { named } from './registry.js';

/** Weekly opening hours: a day key (`mon`…`sun`) to `HH:MM-HH:MM` ranges in the branch's zone. */
export const OpeningHours = named(
  'OpeningHours',
  'Opening hours per weekday (mon…sun) as HH:MM-HH:MM ranges in the branch time zone.',
  z.partialRecord(
    z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']),
    z.array(z.string().check(z.regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/))),
  ),
);

/** A physical location of a store, where slots take place and units are handed over. */
export const Branch = named(
  'Branch',
  'A physical location of a store.',
  z.object({
    id: Id,
    storeId: Id,
    name: z.string(),
    address: z.nullable(z.string()),
    lat: z.nullable(z.number()),
    lng: z.nullable(z.number()),
    phone: z.nullable(z.string()),
    timeZone: z.string(),
    openingHours: z.nullable(OpeningHours),
    /** Dates that differ from the weekly hours (an empty `ranges` list: closed). */
    openingExceptions: z.optional(
      z.array(z.object({ date: z.string(), ranges: z.array(z.string()), note: z.optional(z.string()) })),
    ),
  }),
);
export type Branch = z.infer<typeof Branch>;

/** The tenant: a store with its branches, currency, locale and IANA time zone. */
export const Store = named(
  'Store',
  'The store the calling key belongs to, with its branches.',
  z.object({
    id: Id,
    name: z.string(),
    slug: z.string(),
    logoUrl: z.nullable(z.string()),
    currency: Currency,
    timeZone: z.string(),
    locale: z.string(),
    /**
     * How rental orders are paid: `online` (a payment confirms the order) or `at_pickup` (the customer confirms the
     * order and pays at the counter).
     */
    rentalPayment: z.enum(['online', 'at_pickup']),
    branches: z.array(Branch),
    createdAt: Timestamp,
  }),
);
export type Store = z.infer<typeof Store>;
