-- Subscriptions by API (docs/merchants.md, docs/rentals.md): a subscription may wait for its payment
-- (pending_payment), its invoice bills it instead of a rental order, and the sweeper records its renewal notice once.
ALTER TABLE "subscriptions" DROP CONSTRAINT "subscriptions_status_check";--> statement-breakpoint
ALTER TABLE "invoices" ALTER COLUMN "rental_order_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "subscription_id" uuid;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "cancel_at_period_end" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "renewal_notice_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_store_id_key" UNIQUE("store_id","id");--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_store_subscription_fkey" FOREIGN KEY ("store_id","subscription_id") REFERENCES "public"."subscriptions"("store_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_subscription_key" ON "invoices" USING btree ("subscription_id") WHERE subscription_id is not null;--> statement-breakpoint
CREATE INDEX "subscriptions_store_created_idx" ON "subscriptions" USING btree ("store_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_one_pending_key" ON "subscriptions" USING btree ("user_id","plan_id") WHERE status = 'pending_payment';--> statement-breakpoint
CREATE INDEX "subscriptions_active_end_idx" ON "subscriptions" USING btree ("ends_at") WHERE status = 'active';--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_target_check" CHECK (num_nonnulls("invoices"."rental_order_id", "invoices"."subscription_id") = 1);--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_status_check" CHECK ("subscriptions"."status" in ('pending_payment', 'active', 'cancelled', 'expired'));--> statement-breakpoint
-- At most one active subscription of a customer to a plan at any instant: periods of active subscriptions to the same
-- plan never overlap (half-open, so a renewal may start the instant the running one ends). btree_gist (0005) gives
-- uuid equality a GiST operator class.
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_no_overlap"
  EXCLUDE USING gist ("user_id" WITH =, "plan_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("status" = 'active');
--> statement-breakpoint
-- The subscription events queue themselves for the notification worker too (the list of 0007 plus subscription.*).
DROP TRIGGER events_notification_inbox ON events;
--> statement-breakpoint
CREATE TRIGGER events_notification_inbox AFTER INSERT ON events
  FOR EACH ROW
  WHEN (NEW.type IN ('reservation.created', 'reservation.confirmed', 'reservation.cancelled', 'reservation.expired',
    'reservation.checked_in', 'waitlist.promoted', 'rental.confirmed', 'rental.cancelled', 'rental.picked_up',
    'rental.returned', 'payment.succeeded', 'subscription.started', 'subscription.renewal_due',
    'subscription.cancelled', 'subscription.ended'))
  EXECUTE FUNCTION notification_inbox_enqueue();
