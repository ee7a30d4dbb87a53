import { fileURLToPath } from 'node:url';

/** Where this package's Prisma files are (the same from src/ and dist/). */
export const sqsPrismaPaths = {
  /** The models file a service copies into its Prisma schema. */
  modelsFile: fileURLToPath(new URL('../prisma/schema/sqs.prisma', import.meta.url)),
  /** This package's schema folder (the models plus a generator and datasource for its own tests). */
  schemaDir: fileURLToPath(new URL('../prisma/schema', import.meta.url)),
  /** This package's Prisma migrations directory; a service copies its migration folder into its own. */
  migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
} as const;
