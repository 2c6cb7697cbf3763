import {
  Customer,
  CustomerSession,
  CustomerSessionCreate,
  ProblemCode,
  SignIn,
  SignUp,
} from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import { actorOf } from '../http/actor.js';
import { ApiError } from '../http/problem.js';
import { createSession, getCustomer, setCustomerStatus, signIn, signUp } from '../domain/customers.js';

export function customerRoutes(router: Router): void {
  router
    .add(
      {
        method: 'post',
        path: '/customers/sign-up',
        operationId: 'signUp',
        summary: 'Create a customer account',
        description:
          'With a publishable key. The password is stored as an argon2id hash. It must not be one of the most ' +
          'common passwords, contain the e-mail address, the name or the store name, and must score at least 3 of ' +
          '4 with the zxcvbn strength estimator (400 `validation_failed` on `body.password` otherwise). Rate ' +
          'limited per IP.',
        tag: 'Customers',
        access: 'publishable',
        body: SignUp,
        rateLimit: 'auth',
        success: {
          status: 201,
          schema: CustomerSession,
          description: 'A customer token for the new account.',
        },
        errors: [409],
      },
      async ({ c, services, auth, body }) =>
        signUp(services.db, services.tokens, actorOf(c, auth), body, services.clock.now()),
    )
    .add(
      {
        method: 'post',
        path: '/customers/sign-in',
        operationId: 'signIn',
        summary: 'Sign in',
        description:
          'With a publishable key. Rate limited per IP and per account: after 5 consecutive failed sign-ins of an ' +
          'account it is locked for 1 s, then 2, 4, 8 … up to 15 minutes after each further failure (429 with ' +
          '`Retry-After`); a successful sign-in resets the count.',
        tag: 'Customers',
        access: 'publishable',
        body: SignIn,
        rateLimit: 'auth',
        success: { status: 200, schema: CustomerSession, description: 'A customer token.' },
      },
      async ({ services, auth, body }) => {
        // Per account (beside the per-IP limit of the route): failures lock the account with a growing backoff.
        await services.rateLimiter.checkAccount(auth.storeId, body.email);
        try {
          const session = await signIn(services.db, services.tokens, auth.storeId, body);
          await services.rateLimiter.accountSucceeded(auth.storeId, body.email);
          return session;
        } catch (error) {
          if (error instanceof ApiError && error.code === ProblemCode.invalidCredentials) {
            await services.rateLimiter.accountFailed(auth.storeId, body.email);
          }
          throw error;
        }
      },
    )
    .add(
      {
        method: 'post',
        path: '/customer-sessions',
        operationId: 'createCustomerSession',
        summary: "Mint a customer token for a user of the store's own login",
        description:
          'Secret key only (from the store’s backend, like an ephemeral key). Creates the customer on first sight of ' +
          '`externalId`.',
        tag: 'Customers',
        access: 'owner',
        body: CustomerSessionCreate,
        success: { status: 201, schema: CustomerSession, description: 'A customer token.' },
        errors: [409],
      },
      async ({ c, services, auth, body }) => {
        if (auth.keyKind !== 'secret') {
          throw new ApiError(
            403,
            ProblemCode.wrongKeyKind,
            'Customer sessions are minted with a secret key.',
          );
        }
        return createSession(services.db, services.tokens, actorOf(c, auth), body, services.clock.now());
      },
    )
    .add(
      {
        method: 'get',
        path: '/customers/me',
        operationId: 'getMe',
        summary: 'The signed-in customer',
        tag: 'Customers',
        access: 'customer',
        success: { status: 200, schema: Customer, description: 'The customer of the token.' },
        errors: [404],
      },
      async ({ services, auth }) => {
        if (!auth.userId) {
          throw new ApiError(
            401,
            ProblemCode.customerTokenRequired,
            'Send `X-Customer-Token` to know who you are.',
          );
        }
        return getCustomer(services.db, auth.storeId, auth.userId);
      },
    );
  for (const [verb, status] of [
    ['disable', 'disabled'],
    ['enable', 'active'],
  ] as const) {
    router.add(
      {
        method: 'post',
        path: `/customers/:id/${verb}`,
        operationId: `${verb}Customer`,
        summary: verb === 'disable' ? 'Disable a customer' : 'Enable a disabled customer again',
        description:
          verb === 'disable'
            ? 'Secret key or owner. The customer can no longer sign in and every token they hold is refused, on ' +
              'every server process, as soon as the change commits. Idempotent.'
            : 'Secret key or owner. The customer may sign in again and tokens that have not expired work again. ' +
              'Idempotent.',
        tag: 'Customers',
        access: 'owner',
        bodyOptional: true,
        success: { status: 200, schema: Customer, description: 'The customer with its new status.' },
        errors: [404],
      },
      async ({ c, services, auth, params }) => {
        const customer = await setCustomerStatus(
          services.db,
          actorOf(c, auth),
          params.id!,
          status,
          services.clock.now(),
        );
        // This process knows at once; the others when the notice of the commit reaches them.
        services.revocations.apply({ t: 'user', userId: customer.id, status });
        return customer;
      },
    );
  }
}
