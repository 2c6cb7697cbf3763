-- Row-level security on every store-owned table (docs/decisions/0004-row-level-security.md).
--
-- A transaction of a store-scoped request states its store (`set_config('dropslot.store_id', <store>, true)`, done by
-- `transaction()`/`unitOfWork()` in db/index.ts); inside it, every table with a `store_id` (and `stores` by `id`)
-- shows and accepts only that store's rows, whatever the query says. Work that is not a store's request (workers,
-- the platform operator, migrations) states no store, or `*` explicitly, and sees every store.
--
-- The policies are forced, so they bind the owner of the tables too; a superuser bypasses every policy, so a server
-- that connects as one switches to the role `dropslot_app` made here (db/index.ts, `ASSUME_APP_ROLE`).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dropslot_app') THEN
    CREATE ROLE dropslot_app NOLOGIN NOBYPASSRLS;
  END IF;
EXCEPTION
  WHEN duplicate_object THEN NULL;
  -- Without the right to create roles the server connects as a role of its own: the forced policies bind it.
  WHEN insufficient_privilege THEN RAISE NOTICE 'dropslot_app not created: %', SQLERRM;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION dropslot_enable_rls() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t record;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dropslot_app') THEN
    EXECUTE 'GRANT USAGE ON SCHEMA public TO dropslot_app';
    EXECUTE 'GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO dropslot_app';
    EXECUTE 'GRANT ALL PRIVILEGES ON ALL SEQUENCES IN SCHEMA public TO dropslot_app';
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO dropslot_app';
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON SEQUENCES TO dropslot_app';
  END IF;
  FOR t IN
    SELECT c.table_name, c.column_name
    FROM information_schema.columns c
    JOIN information_schema.tables tb
      ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
    WHERE c.table_schema = 'public'
      AND (c.column_name = 'store_id' OR (c.table_name = 'stores' AND c.column_name = 'id'))
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t.table_name);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t.table_name);
    EXECUTE format('DROP POLICY IF EXISTS store_isolation ON %I', t.table_name);
    -- CASE, not OR: the cast of the setting runs only when a store is stated.
    EXECUTE format(
      'CREATE POLICY store_isolation ON %I USING (CASE WHEN coalesce(current_setting(''dropslot.store_id'', true), '''') IN ('''', ''*'') THEN true ELSE %I = current_setting(''dropslot.store_id'', true)::uuid END)',
      t.table_name, t.column_name);
  END LOOP;
END $$;--> statement-breakpoint
SELECT dropslot_enable_rls();
