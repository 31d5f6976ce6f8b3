import { defineConfig } from 'drizzle-kit';

// Migrations are generated offline from the schema (`npm run db:generate`) and applied by the app on start.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './migrations',
});
