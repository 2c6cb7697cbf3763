ALTER TABLE "branches" ADD COLUMN "opening_exceptions" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "branches" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "contact_email" text;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "contact_phone" text;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "website_url" text;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "notification_sender_name" text;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "notification_reply_to" text;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "check_in_opens_minutes" integer;--> statement-breakpoint
ALTER TABLE "stores" ADD COLUMN "check_in_closes_minutes" integer;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
-- Erasure (docs/merchants.md): audit rows stay append-only, except that an erasure may blank the personal fields
-- (before, after, ip, ua) of rows about the erased person, inside a transaction that sets dropslot.erasure = 'on'.
CREATE OR REPLACE FUNCTION audit_logs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('dropslot.erasure', true) = 'on'
     AND NEW.id = OLD.id AND NEW.store_id IS NOT DISTINCT FROM OLD.store_id
     AND NEW.actor_user_id IS NOT DISTINCT FROM OLD.actor_user_id
     AND NEW.actor_key_id IS NOT DISTINCT FROM OLD.actor_key_id
     AND NEW.action = OLD.action AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id
     AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id AND NEW.created_at = OLD.created_at THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_logs is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
