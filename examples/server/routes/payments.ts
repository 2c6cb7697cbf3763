import {
  Invoice,
  Payment,
  PaymentCreate,
  ProblemCode,
  TestProviderAuthentication,
  TestProviderIntent,
  WebhookReceipt,
} from '../../../src/schemas/index.js';
import { and, eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Router } from '../http/router.js';
import type { AppEnv, Auth } from '../http/context.js';
import type { Services } from '../services.js';
import { actorOf } from '../http/actor.js';
import { isStaff, ownerScope } from '../http/auth.js';
import { ApiError, notFound } from '../http/problem.js';
import { rows, schema } from '../db/index.js';
import {
  applyProviderEvent,
  createPayment,
  getPayment,
  processRefunds,
  serializePayment,
} from '../domain/payments.js';
import { ProviderError, WebhookSignatureError, type PaymentProvider } from '../payments/provider.js';
import { serializeInvoice } from '../domain/subscriptions.js';

/** Which customer's payments and invoices the caller sees: all for secret keys and staff, else only the token's own. */
async function scopeOf(services: Services, auth: Auth): Promise<string | undefined> {
  return (await isStaff(services, auth)) ? undefined : auth.userId;
}

/** Verifies and applies one inbound provider webhook over its exact raw body; then runs the refunds it asked for. */
async function receive(c: Context<AppEnv>, services: Services, provider: PaymentProvider | undefined) {
  if (!provider) {
    throw new ApiError(404, ProblemCode.providerNotConfigured, 'This payment provider is not configured.');
  }
  const raw = await c.req.text();
  let event;
  try {
    event = provider.parseWebhook(raw, (name) => c.req.header(name));
  } catch (error) {
    if (error instanceof WebhookSignatureError) {
      throw new ApiError(400, ProblemCode.invalidSignature, `The webhook does not verify: ${error.message}`);
    }
    throw error;
  }
  const result = await applyProviderEvent(services, provider.name, event);
  // A refund this event asked for (a success that came too late) is made now; the sweeper retries leftovers.
  if (result.paymentId && !result.duplicate) await processRefunds(services, [result.paymentId]);
  return { received: true, duplicate: result.duplicate };
}

export function paymentRoutes(router: Router): void {
  router
    .add(
      {
        method: 'post',
        path: '/payments',
        operationId: 'createPayment',
        summary: 'Pay a held reservation or an invoice',
        description:
          'Answers the one live payment of the reservation or invoice (creating it and its provider intent on the ' +
          'first call), confirmed with `paymentMethod` if given. Test provider: `nextAction` when the customer must ' +
          'authenticate; Stripe: `clientSecret` and `publishableKey` for Stripe.js. The payment succeeds only when the ' +
          "provider's signed webhook arrives: then the hold is confirmed, or the invoice paid and the rental confirmed " +
          '(or the subscription activated). ' +
          '409 `already_paid`, `hold_expired`, `payment_not_required`, `invalid_state`. Send an Idempotency-Key.',
        tag: 'Payments',
        access: 'customer',
        body: PaymentCreate,
        externalCalls: true,
        success: { status: 200, schema: Payment, description: 'The payment of the reservation or invoice.' },
        errors: [404, 409, 502],
      },
      async ({ c, services, auth, body }) => {
        if (Boolean(body.reservationId) === Boolean(body.invoiceId)) {
          throw new ApiError(
            400,
            ProblemCode.validationFailed,
            'Name exactly one of reservationId and invoiceId.',
            {
              errors: [
                {
                  path: body.reservationId ? 'body.invoiceId' : 'body.reservationId',
                  message: 'Exactly one of reservationId and invoiceId is required',
                  code: 'invalid_union',
                },
              ],
            },
          );
        }
        const row = await createPayment(
          services,
          actorOf(c, auth),
          ownerScope(auth),
          body,
          c.req.header('idempotency-key'),
        );
        return serializePayment(row, services.payments, true);
      },
    )
    .add(
      {
        method: 'get',
        path: '/payments/:id',
        operationId: 'getPayment',
        summary: 'Retrieve a payment',
        description: 'A customer reads their own payments; staff and secret keys any of the store.',
        tag: 'Payments',
        access: 'customer',
        success: { status: 200, schema: Payment, description: 'The payment.' },
        errors: [404],
      },
      async ({ services, auth, params }) => {
        const row = await getPayment(services.db, auth.storeId, params.id!, await scopeOf(services, auth));
        return serializePayment(
          row,
          services.payments,
          auth.keyKind === 'secret' || row.userId === auth.userId,
        );
      },
    )
    .add(
      {
        method: 'get',
        path: '/invoices/:id',
        operationId: 'getInvoice',
        summary: 'Retrieve an invoice',
        description:
          'The invoice of a rental order or of a subscription: due, paid, status. A customer reads their own.',
        tag: 'Payments',
        access: 'customer',
        success: { status: 200, schema: Invoice, description: 'The invoice.' },
        errors: [404],
      },
      async ({ services, auth, params }) => {
        const scope = await scopeOf(services, auth);
        const [row] = await rows<{ user_id: string }>(
          services.db,
          sql`select coalesce(o.user_id, s.user_id) as user_id from invoices i
            left join rental_orders o on o.id = i.rental_order_id
            left join subscriptions s on s.id = i.subscription_id
            where i.store_id = ${auth.storeId} and i.id = ${params.id!}`,
        );
        if (!row || (scope && row.user_id !== scope)) throw notFound('invoice');
        const [invoice] = await services.db
          .select()
          .from(schema.invoices)
          .where(and(eq(schema.invoices.storeId, auth.storeId), eq(schema.invoices.id, params.id!)));
        return serializeInvoice(invoice!);
      },
    )
    .add(
      {
        method: 'post',
        path: '/webhooks/stripe',
        operationId: 'receiveStripeWebhook',
        summary: 'Inbound Stripe events',
        description:
          'Verified with the `Stripe-Signature` header over the raw body (`STRIPE_WEBHOOK_SECRET`); 400 ' +
          '`invalid_signature` changes nothing. Each event id is applied once; events may arrive in any order.',
        tag: 'Payments',
        access: 'none',
        rawBody: {
          contentType: 'application/json',
          description: "The provider's event, as it sent it (the signature covers these exact bytes).",
        },
        success: { status: 200, schema: WebhookReceipt, description: 'The event was received.' },
        errors: [404],
      },
      async ({ c, services }) => receive(c, services, services.payments.byName.get('stripe')),
    )
    .add(
      {
        method: 'post',
        path: '/webhooks/test',
        operationId: 'receiveTestProviderWebhook',
        summary: 'Inbound events of the built-in test provider',
        description:
          'Signed like Stripe’s (`Test-Provider-Signature: t=…,v1=…`, HMAC-SHA256 under a server secret) and applied ' +
          'by the same code path.',
        tag: 'Payments',
        access: 'none',
        rawBody: {
          contentType: 'application/json',
          description: "The test provider's event, as it sent it (the signature covers these exact bytes).",
        },
        success: { status: 200, schema: WebhookReceipt, description: 'The event was received.' },
      },
      async ({ c, services }) => receive(c, services, services.testProvider),
    )
    .add(
      {
        method: 'post',
        path: '/test-provider/intents/:intent/authenticate',
        operationId: 'authenticateTestPayment',
        summary: "The test provider's authentication step",
        description:
          'Completes (`approve`) or refuses (`deny`) the 3-D Secure-like step of `pm_card_requires_action`, with the ' +
          "token of the payment's `nextAction`. The outcome reaches the payment through the signed webhook.",
        tag: 'Payments',
        access: 'none',
        body: TestProviderAuthentication,
        success: { status: 200, schema: TestProviderIntent, description: 'The intent after the step.' },
      },
      async ({ services, params, body }) => {
        try {
          const intent = await services.testProvider.authenticate(params.intent!, body.token, body.result);
          return { id: intent.intentId, status: intent.status };
        } catch (error) {
          if (error instanceof ProviderError) {
            throw new ApiError(400, ProblemCode.validationFailed, error.message, {
              errors: [{ path: 'body.token', message: error.message, code: 'invalid_value' }],
            });
          }
          throw error;
        }
      },
    );
}
