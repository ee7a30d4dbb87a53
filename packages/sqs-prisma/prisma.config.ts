import { defineConfig } from 'prisma/config';

// Used by `prisma generate` (the test client) and, where the native schema
// engine is reachable, by `prisma migrate deploy`. Migrations are applied here
// by sqs-prisma-migrate, which needs no engine.
export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
