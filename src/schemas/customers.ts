import * as z from 'zod/mini';
import { Id, Timestamp } from './common.js';
import { named } from './registry.js';

/** A shopper of the store (also staff and owners, who sign in the same way). */
export const Customer = named(
  'Customer',
  'A person known to the store.',
  z.object({
    id: Id,
    email: z.nullable(z.string()),
    name: z.nullable(z.string()),
    externalId: z.nullable(z.string()),
    roles: z.array(z.enum(['admin', 'owner', 'staff', 'customer'])),
    /** `disabled`: the store switched the account off; its tokens are refused and it cannot sign in. */
    status: z.enum(['active', 'disabled']),
    createdAt: Timestamp,
  }),
);
export type Customer = z.infer<typeof Customer>;

const email = z.string().check(z.trim(), z.toLowerCase(), z.email(), z.maxLength(254));
const password = z.string().check(z.minLength(8), z.maxLength(256));

/** Body of `POST /customers/sign-up` (publishable key). */
export const SignUp = named(
  'SignUp',
  'A new customer account.',
  z.strictObject({
    email,
    password,
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  }),
);
export type SignUp = z.infer<typeof SignUp>;

/** Body of `POST /customers/sign-in` (publishable key). */
export const SignIn = named(
  'SignIn',
  'Credentials of a customer account.',
  z.strictObject({ email, password: z.string().check(z.minLength(1), z.maxLength(256)) }),
);
export type SignIn = z.infer<typeof SignIn>;

/** Body of `POST /customer-sessions` (secret key): a token for a store's own logged-in user. */
export const CustomerSessionCreate = named(
  'CustomerSessionCreate',
  "A token request for a user of the store's own login, named by the store's id for them.",
  z.strictObject({
    externalId: z.string().check(z.minLength(1), z.maxLength(200)),
    email: z.optional(email),
    name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
    /** Token lifetime, default 3600 s. */
    ttlSeconds: z.optional(z.int().check(z.minimum(60), z.maximum(7 * 86_400))),
  }),
);
export type CustomerSessionCreate = z.infer<typeof CustomerSessionCreate>;

/** A customer token and who it stands for. Send it as `X-Customer-Token`. */
export const CustomerSession = named(
  'CustomerSession',
  'A customer token (send as X-Customer-Token) and its customer.',
  z.object({
    token: z.string(),
    expiresAt: Timestamp,
    customer: Customer,
  }),
);
export type CustomerSession = z.infer<typeof CustomerSession>;
