import { PrismaClient } from './generated/prisma/client.js';

export { PrismaClient };
export type { Shipment } from './generated/prisma/client.js';
export { ShipmentStatus } from './generated/prisma/enums.js';

/** The shipping service's Prisma client. */
export type ShippingPrisma = InstanceType<typeof PrismaClient>;
/** Its interactive-transaction client (what `ctx.getTransaction()` returns in the SQS handlers). */
export type ShippingTx = Parameters<Parameters<ShippingPrisma['$transaction']>[0]>[0];
