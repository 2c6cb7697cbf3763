import * as z from 'zod/mini';
import { named } from './registry.js';

/** The server's clock, for estimating the offset of a client clock. */
export const ServerTime = named(
  'ServerTime',
  'The server clock: epoch milliseconds and the same instant in ISO 8601.',
  z.object({
    now: z.int(),
    iso: z.string(),
  }),
);
export type ServerTime = z.infer<typeof ServerTime>;
