import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './examples/server/db/schema.ts',
  out: './examples/server/db/migrations',
});
