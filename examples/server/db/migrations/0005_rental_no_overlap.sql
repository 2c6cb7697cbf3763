-- No double rental: a physical unit is never in two overlapping active rentals. The range is half-open [start, end),
-- so back-to-back rentals (one ends at the instant the next starts) are allowed. Only active items count
-- (`held`: booked, `out`: picked up); returned and released items free the unit. btree_gist gives uuid equality a
-- GiST operator class so the unit id and the time range share one index.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "rental_items" ADD CONSTRAINT "rental_items_no_overlap"
  EXCLUDE USING gist ("inventory_item_id" WITH =, tstzrange("starts_at", "ends_at", '[)') WITH &&)
  WHERE ("status" IN ('held', 'out'));
