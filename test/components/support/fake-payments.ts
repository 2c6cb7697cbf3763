/**
 * The payments part of the fake API (`FakeApi.payments`), shaped like the reference server's test provider: one live
 * payment per reservation or invoice; `pm_card_visa` succeeds, `pm_card_declined` is declined, and
 * `pm_card_requires_action` asks for the authentication step first. Success arrives as the server would learn it from
 * the provider's webhook: the payment reads `processing` once, then `succeeded`, and its reservation or rental order is
 * confirmed at that moment.
 */
import type { Payment } from '../../../src/schemas/payments.js';
import type { Reservation } from '../../../src/schemas/reservations.js';
import type { RentalOrder } from '../../../src/schemas/rentals.js';

type Reply = { status: number; body: unknown };
const ok = (body: unknown, status = 200): Reply => ({ status, body });
const fail = (status: number, code: string): Reply => ({
  status,
  body: { type: `https://dropslot.dev/problems/${code}`, title: code, status, code },
});

interface Host {
  serverNow(): number;
  waitlist: Map<string, { reservationId: string | null; state: string }>;
  store: { id: string; currency: string };
  reservations: Map<string, Reservation>;
  rentals: { orders: Map<string, RentalOrder> };
}

export class FakePayments {
  readonly payments = new Map<string, Payment>();
  /** Drops whose holds must be paid (confirming them is 409 `payment_required`). */
  readonly paidDrops = new Set<string>();
  /** The price of a paid drop's hold, in minor units. */
  dropPrice = 12_000;
  /** Which provider new payments use: `stripe` answers a client secret and publishable key for Stripe.js. */
  provider: 'test' | 'stripe' = 'test';
  /** Payments that read `processing` once more before they settle. */
  readonly #settling = new Set<string>();

  constructor(private readonly host: Host) {}

  requiresPayment(reservation: Reservation): boolean {
    return this.paidDrops.has(reservation.dropId);
  }

  #now(): string {
    return new Date(this.host.serverNow()).toISOString();
  }

  /** The webhook's effect: the payment succeeds and confirms what it pays. */
  #succeed(payment: Payment): void {
    payment.status = 'succeeded';
    payment.paidAt = this.#now();
    if (payment.reservationId) {
      const r = this.host.reservations.get(payment.reservationId)!;
      r.state = 'CONFIRMED';
      r.expiresAt = null;
      r.confirmedAt = this.#now();
      r.qrToken = `qr_${r.id}`;
      // A promoted waitlist entry's hold, paid: the promotion is claimed (as the server's webhook does).
      for (const entry of this.host.waitlist.values())
        if (entry.reservationId === r.id) entry.state = 'CLAIMED';
    } else {
      const order = [...this.host.rentals.orders.values()].find((o) => o.invoice.id === payment.invoiceId)!;
      order.status = 'confirmed';
      order.confirmedAt = this.#now();
      order.invoice.status = 'paid';
      order.invoice.amountPaid = order.total;
      order.qrToken = `ds1h.${order.id}.fakesignature`;
      order.qrType = 'pickup';
    }
  }

  #confirmWith(payment: Payment, method: string): void {
    payment.lastError = null;
    payment.nextAction = null;
    if (method === 'pm_card_declined') {
      payment.status = 'requires_payment_method';
      payment.lastError = { code: 'card_declined', message: 'Your card was declined.' };
    } else if (method === 'pm_card_requires_action') {
      payment.status = 'requires_action';
      payment.nextAction = {
        type: 'authenticate',
        url: `/v1/test-provider/intents/${payment.id}/authenticate`,
        token: `auth_${payment.id}`,
      };
    } else {
      payment.status = 'processing';
      this.#settling.add(payment.id);
    }
  }

  route(method: string, path: string, body: unknown, customerId: string | undefined): Reply | undefined {
    let m: RegExpMatchArray | null;
    if (method === 'POST' && (m = path.match(/^\/v1\/test-provider\/intents\/([^/]+)\/authenticate$/))) {
      const payment = this.payments.get(m[1]!);
      const { token, result } = body as { token: string; result: 'approve' | 'deny' };
      if (!payment || token !== `auth_${payment.id}`) return fail(400, 'validation_failed');
      payment.nextAction = null;
      if (result === 'approve') {
        payment.status = 'processing';
        this.#settling.add(payment.id);
      } else {
        payment.status = 'requires_payment_method';
        payment.lastError = { code: 'authentication_failed', message: 'The payment was not authenticated.' };
      }
      return ok({ id: payment.id, status: payment.status });
    }
    if (method === 'POST' && path === '/v1/payments') {
      if (!customerId) return fail(401, 'customer_token_required');
      const input = body as { reservationId?: string; invoiceId?: string; paymentMethod?: string };
      let amount: number;
      if (input.reservationId) {
        const r = this.host.reservations.get(input.reservationId);
        if (!r || r.customerId !== customerId) return fail(404, 'not_found');
        amount = this.dropPrice;
      } else {
        const order = [...this.host.rentals.orders.values()].find((o) => o.invoice.id === input.invoiceId);
        if (!order || order.customerId !== customerId) return fail(404, 'not_found');
        amount = order.total;
      }
      let payment = [...this.payments.values()].find(
        (p) =>
          (input.reservationId ? p.reservationId === input.reservationId : p.invoiceId === input.invoiceId) &&
          p.status !== 'cancelled',
      );
      if (payment?.status === 'succeeded') return fail(409, 'already_paid');
      if (!payment) {
        const id = crypto.randomUUID();
        payment = {
          id,
          storeId: this.host.store.id,
          provider: this.provider,
          status: 'requires_payment_method',
          amount,
          currency: this.host.store.currency,
          reservationId: input.reservationId ?? null,
          invoiceId: input.invoiceId ?? null,
          customerId,
          clientSecret: this.provider === 'stripe' ? `pi_${id.slice(0, 8)}_secret_fake` : null,
          publishableKey: this.provider === 'stripe' ? 'pk_test_stripe_fake' : null,
          nextAction: null,
          lastError: null,
          refundStatus: null,
          createdAt: this.#now(),
          paidAt: null,
          refundedAt: null,
        };
        this.payments.set(id, payment);
      }
      if (input.paymentMethod && payment.status === 'requires_payment_method')
        this.#confirmWith(payment, input.paymentMethod);
      return ok({ ...payment }, 201);
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/payments\/([^/]+)$/))) {
      const payment = this.payments.get(m[1]!);
      if (!payment || payment.customerId !== customerId) return fail(404, 'not_found');
      if (payment.status === 'processing') {
        // Read `processing` once after the attempt, then the webhook has arrived.
        if (this.#settling.delete(payment.id)) return ok({ ...payment });
        this.#succeed(payment);
      }
      return ok({ ...payment });
    }
    return undefined;
  }
}
