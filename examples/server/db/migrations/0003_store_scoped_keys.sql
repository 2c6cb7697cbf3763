-- Tenancy in the database: composite keys tie a drop to its store's product, a slot to its store's drop,
-- and reservations and waitlist entries to their store's slot.
ALTER TABLE "drops" ADD CONSTRAINT "drops_store_id_key" UNIQUE("store_id","id");
--> statement-breakpoint
ALTER TABLE "slots" ADD CONSTRAINT "slots_store_id_key" UNIQUE("store_id","id");
--> statement-breakpoint
ALTER TABLE "drops" ADD CONSTRAINT "drops_store_product_fkey" FOREIGN KEY ("store_id","product_id") REFERENCES "public"."products"("store_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_store_slot_fkey" FOREIGN KEY ("store_id","slot_id") REFERENCES "public"."slots"("store_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "slots" ADD CONSTRAINT "slots_store_drop_fkey" FOREIGN KEY ("store_id","drop_id") REFERENCES "public"."drops"("store_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "waitlist" ADD CONSTRAINT "waitlist_store_slot_fkey" FOREIGN KEY ("store_id","slot_id") REFERENCES "public"."slots"("store_id","id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_currency_check" CHECK ("payments"."currency" ~ '^[A-Z]{3}$');
--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_currency_check" CHECK ("products"."currency" ~ '^[A-Z]{3}$');
