import {
  InvitationAccept,
  InvitationAccepted,
  StoreCreate,
  StoreCreated,
  StoreSettings,
  StoreSettingsUpdate,
} from '../../../src/schemas/index.js';
import type { Router } from '../http/router.js';
import { actorOf } from '../http/actor.js';
import { clientIp } from '../http/rate-limit.js';
import { transaction } from '../db/index.js';
import {
  acceptInvitation,
  getSettings,
  provisionStore,
  requireOperator,
  serializeSettings,
  signInvitation,
  updateSettings,
} from '../domain/stores.js';

export interface OperatorOptions {
  /** The platform operator credential (`OPERATOR_TOKEN`); without it `POST /v1/stores` answers 403. */
  token?: string | undefined;
  /** Base of the invitation links. @default the request's origin */
  publicUrl?: string | undefined;
}

/** `POST /v1/stores` (operator), `POST /v1/invitations/accept`, `GET`/`PATCH /v1/store/settings` (owner or secret key). */
export function storeRoutes(router: Router, operator: OperatorOptions = {}): void {
  router
    .add(
      {
        method: 'post',
        path: '/stores',
        operationId: 'createStore',
        summary: 'Create a store (platform operator)',
        description:
          'With the platform operator credential (`Authorization: Bearer <OPERATOR_TOKEN>`), not a store key. Creates ' +
          'the store, its first publishable and secret keys (shown only in this answer; stored hashed) and its owner, ' +
          'who gets a signed invitation link valid 7 days. `npm run dropslot -- store create` does the same.',
        tag: 'Stores',
        access: 'none',
        body: StoreCreate,
        success: {
          status: 201,
          schema: StoreCreated,
          description: 'The store, its keys and the invitation.',
        },
        errors: [401, 403, 409],
      },
      async ({ c, services, body }) => {
        requireOperator(c.req.header('authorization'), operator.token);
        const now = services.clock.now();
        const publicUrl = operator.publicUrl || new URL(c.req.url).origin;
        const meta = {
          ip: clientIp(c, services.rateLimiter.config ? services.rateLimiter.config.trustProxy : false),
          ua: c.req.header('user-agent')?.slice(0, 500),
          requestId: c.get('requestId'),
        };
        return transaction(services.db, async (tx) => {
          const made = await provisionStore(
            tx,
            {
              name: body.name,
              slug: body.slug,
              currency: body.currency,
              locale: body.locale,
              timeZone: body.timeZone,
              allowedOrigins: body.allowedOrigins,
              owner: { email: body.ownerEmail, name: body.ownerName },
            },
            now,
            meta,
          );
          const invitation = await signInvitation(
            tx,
            { userId: made.owner!.id, storeId: made.store.id, role: 'owner' },
            now,
            publicUrl,
          );
          return {
            store: serializeSettings(made.store),
            publishableKey: made.publishableKey,
            secretKey: made.secretKey,
            owner: { ...made.owner!, invitation },
          };
        });
      },
    )
    .add(
      {
        method: 'post',
        path: '/invitations/accept',
        operationId: 'acceptInvitation',
        summary: 'Accept an invitation by setting a password',
        description:
          'Needs no key: the signed invitation token is the credential. Works once, until the invitation expires. ' +
          'Answers a token for the new member; sign in later with a publishable key of the store.',
        tag: 'Stores',
        access: 'none',
        body: InvitationAccept,
        rateLimit: 'auth',
        success: { status: 200, schema: InvitationAccepted, description: 'A session for the member.' },
        errors: [409],
      },
      async ({ c, services, body }) =>
        acceptInvitation(services.db, services.tokens, body, services.clock.now(), {
          ip: clientIp(c, services.rateLimiter.config ? services.rateLimiter.config.trustProxy : false),
          ua: c.req.header('user-agent')?.slice(0, 500),
          requestId: c.get('requestId'),
        }),
    )
    .add(
      {
        method: 'get',
        path: '/store/settings',
        operationId: 'getStoreSettings',
        summary: 'The store settings',
        description: 'Secret key or an owner signed in. `GET /v1/store` stays the public view any key reads.',
        tag: 'Store',
        access: 'owner',
        success: { status: 200, schema: StoreSettings, description: 'The settings.' },
      },
      async ({ services, auth }) => getSettings(services.db, auth.storeId),
    )
    .add(
      {
        method: 'patch',
        path: '/store/settings',
        operationId: 'updateStoreSettings',
        summary: 'Change the store settings',
        description:
          'Secret key or an owner signed in. Only the fields sent change; `null` clears an optional one. Checked: IANA ' +
          'time zone, ISO 4217 currency, BCP 47 locale, http(s) URLs, e-mails. Audited with before and after; every ' +
          'process reads the new values on its next request.',
        tag: 'Store',
        access: 'owner',
        body: StoreSettingsUpdate,
        success: { status: 200, schema: StoreSettings, description: 'The settings after the change.' },
      },
      async ({ c, services, auth, body }) =>
        updateSettings(services.db, actorOf(c, auth), body, services.clock.now()),
    );
}
