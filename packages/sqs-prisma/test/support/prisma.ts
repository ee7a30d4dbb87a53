// Test-only helpers: a Prisma client generated from this package's schema
// (test/generated/prisma, made by `npm run generate`) on a given database.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

export { PrismaClient };
export type TestPrismaClient = InstanceType<typeof PrismaClient>;
/** The interactive-transaction client of the generated client, with its model delegates. */
export type TestTransactionClient = Parameters<Parameters<TestPrismaClient['$transaction']>[0]>[0];

/** A Prisma client on `url`; `applicationName` tags its sessions in pg_stat_activity. */
export function prismaClientFor(url: string, applicationName?: string): TestPrismaClient {
  const connectionString = new URL(url);
  if (applicationName) connectionString.searchParams.set('application_name', applicationName);
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: connectionString.toString() }) });
}
