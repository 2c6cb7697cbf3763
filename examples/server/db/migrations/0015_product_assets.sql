-- Product assets (docs/merchants.md): alt text, content type, size, dimensions and the storage key of uploads.
ALTER TABLE "product_assets" ADD COLUMN "alt" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "product_assets" ADD COLUMN "content_type" text;--> statement-breakpoint
ALTER TABLE "product_assets" ADD COLUMN "byte_size" integer;--> statement-breakpoint
ALTER TABLE "product_assets" ADD COLUMN "width" integer;--> statement-breakpoint
ALTER TABLE "product_assets" ADD COLUMN "height" integer;--> statement-breakpoint
ALTER TABLE "product_assets" ADD COLUMN "storage_key" text;--> statement-breakpoint
ALTER TABLE "product_assets" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "product_assets_storage_idx" ON "product_assets" USING btree ("store_id","storage_key");--> statement-breakpoint
ALTER TABLE "product_assets" ADD CONSTRAINT "product_assets_position_check" CHECK ("product_assets"."position" >= 0);--> statement-breakpoint
ALTER TABLE "product_assets" ADD CONSTRAINT "product_assets_byte_size_check" CHECK ("product_assets"."byte_size" >= 0);--> statement-breakpoint
ALTER TABLE "product_assets" ADD CONSTRAINT "product_assets_dimensions_check" CHECK ("product_assets"."width" > 0 and "product_assets"."height" > 0);