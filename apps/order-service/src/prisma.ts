import { PrismaClient } from './generated/prisma/client.js';

export { PrismaClient };
export type { Order, OrderHistory } from './generated/prisma/client.js';
export { OrderStatus, ShipmentStatus } from './generated/prisma/enums.js';

/** The order service's Prisma client. */
export type OrderPrisma = InstanceType<typeof PrismaClient>;
/** Its interactive-transaction client (what `ctx.getTransaction()` returns in the SQS handlers). */
export type OrderTx = Parameters<Parameters<OrderPrisma['$transaction']>[0]>[0];
