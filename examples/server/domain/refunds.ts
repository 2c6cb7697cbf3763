/**
 * The refund rule and refund requests. A refund is asked inside the transaction of the change that calls for it (a
 * cancellation, a payment that succeeded too late) by marking the payment `refund_status = 'pending'`; the provider
 * is called after commit (`processRefunds`, also run by the sweeper), so a crash between the two only delays it.
 *
 * **Rule**: when a customer cancels a paid reservation or rental at least `stores.refund_cutoff_hours` (default 24)
 * before the slot starts or the rental's pickup, the payment is refunded in full; later, nothing is refunded. A
 * cancellation by the store (secret key) is always refunded in full, and so is a payment that succeeded for a hold
 * that had expired or an order that had been cancelled meanwhile.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { rows, schema, type Executor } from '../db/index.js';
import { audit, type Actor } from './audit.js';

const p = schema.payments;

export type RefundReason = 'cancelled' | 'hold_expired' | 'target_gone';

/** Marks a succeeded payment for refund (once); answers whether it was marked now. */
export async function requestRefundInTx(
  tx: Executor,
  actor: Actor,
  paymentId: string,
  reason: RefundReason,
  now: Date,
): Promise<boolean> {
  const marked = await tx
    .update(p)
    .set({ refundStatus: 'pending', refundReason: reason, refundRequestedAt: now, updatedAt: now })
    .where(and(eq(p.id, paymentId), eq(p.status, 'succeeded'), sql`${p.refundStatus} is null`))
    .returning({ id: p.id, amount: p.amountCents });
  if (marked.length === 0) return false;
  await audit(
    tx,
    actor,
    'payment.refund_request',
    'payment',
    paymentId,
    { refundStatus: null },
    { refundStatus: 'pending', reason, amount: marked[0]!.amount },
    now,
  );
  return true;
}

/**
 * Applies the refund rule to the succeeded payments of a reservation or of a rental order's invoices, inside the
 * cancellation's transaction. `byCustomer` is false for the store's own cancellations (always refunded).
 */
export async function refundOnCancelInTx(
  tx: Executor,
  actor: Actor,
  target: { reservationId: string } | { rentalOrderId: string },
  startsAt: Date,
  byCustomer: boolean,
  now: Date,
): Promise<number> {
  const paid = await tx
    .select({ id: p.id })
    .from(p)
    .where(
      and(
        eq(p.status, 'succeeded'),
        'reservationId' in target
          ? eq(p.reservationId, target.reservationId)
          : inArray(
              p.invoiceId,
              tx
                .select({ id: schema.invoices.id })
                .from(schema.invoices)
                .where(eq(schema.invoices.rentalOrderId, target.rentalOrderId)),
            ),
      ),
    )
    .for('update');
  if (paid.length === 0) return 0;
  if (byCustomer) {
    const [store] = await rows<{ hours: number }>(
      tx,
      sql`select refund_cutoff_hours as hours from stores where id = ${actor.storeId}`,
    );
    const cutoff = startsAt.getTime() - Number(store?.hours ?? 24) * 3_600_000;
    if (now.getTime() > cutoff) return 0;
  }
  let marked = 0;
  for (const { id } of paid) if (await requestRefundInTx(tx, actor, id, 'cancelled', now)) marked++;
  return marked;
}
