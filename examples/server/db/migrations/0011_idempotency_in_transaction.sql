-- Idempotency records are now written in the same transaction as the change they record, with the exact answer
-- text: a record always has its response, so the in-flight lock column goes. Old records (a 24 h cache) are dropped.
DELETE FROM "idempotency_keys";--> statement-breakpoint
ALTER TABLE "idempotency_keys" ALTER COLUMN "response_status" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "response_text" text NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD COLUMN "response_headers" jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_keys" DROP COLUMN "response_body";--> statement-breakpoint
ALTER TABLE "idempotency_keys" DROP COLUMN "locked_at";
