import { defineConfig } from 'prisma/config';

// Used by `prisma generate` (npm run generate, offline) and, where Prisma's native schema engine can be
// downloaded, by `prisma migrate deploy`. Here migrations are applied at start by applyMigrations, which needs no
// engine; new ones are generated with `sqs-prisma-drift --create-migration <name>`.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
