CREATE TABLE "webhook_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"store_id" uuid NOT NULL,
	"delivery_id" uuid NOT NULL,
	"attempt" integer NOT NULL,
	"attempted_at" timestamp with time zone NOT NULL,
	"status_code" integer,
	"error" text,
	"duration_ms" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "enabled_events" text[] DEFAULT '{*}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "previous_secret" text;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "previous_secret_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "disabled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ADD COLUMN "disabled_reason" text;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "event_id" uuid;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "message_id" text DEFAULT ('msg_' || replace(gen_random_uuid()::text, '-', '')) NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "lease_token" uuid;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "last_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "last_status_code" integer;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
-- The composite keys first: the tenancy foreign keys below reference them.
ALTER TABLE "webhook_endpoints" ADD CONSTRAINT "webhook_endpoints_store_id_key" UNIQUE("store_id","id");--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_store_id_key" UNIQUE("store_id","id");--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_store_id_stores_id_fk" FOREIGN KEY ("store_id") REFERENCES "public"."stores"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_delivery_id_webhook_events_id_fk" FOREIGN KEY ("delivery_id") REFERENCES "public"."webhook_events"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_store_delivery_fkey" FOREIGN KEY ("store_id","delivery_id") REFERENCES "public"."webhook_events"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_attempts_delivery_idx" ON "webhook_attempts" USING btree ("delivery_id","attempted_at");--> statement-breakpoint
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_store_endpoint_fkey" FOREIGN KEY ("store_id","endpoint_id") REFERENCES "public"."webhook_endpoints"("store_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- The outbox: every domain event row (whoever writes it: recordEvent, or the single-statement reserve's CTE) becomes
-- one message per active endpoint of its store subscribed to its type, in the transaction that writes the event.
-- The message id (`webhook-id`) is derived from the event, so it is the same on every attempt and every endpoint.
CREATE FUNCTION webhook_outbox_from_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO webhook_events (store_id, endpoint_id, event_id, message_id, type, payload, delivery_status,
    next_attempt_at, created_at, updated_at)
  SELECT NEW.store_id, e.id, NEW.id, 'msg_' || replace(NEW.id::text, '-', ''), NEW.type,
    jsonb_build_object(
      'type', NEW.type,
      'timestamp', to_char(NEW.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'data', NEW.metadata),
    'pending', NEW.occurred_at, NEW.occurred_at, NEW.occurred_at
  FROM webhook_endpoints e
  WHERE e.store_id = NEW.store_id AND e.active
    AND ('*' = ANY (e.enabled_events) OR NEW.type = ANY (e.enabled_events));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER events_webhook_outbox AFTER INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION webhook_outbox_from_event();
