/** The service's generated Prisma client: `@Inject(PRISMA_CLIENT) prisma: PrismaClient`. */
export const PRISMA_CLIENT = Symbol('PRISMA_CLIENT');
/** The service's parsed configuration: `@Inject(SERVICE_CONFIG) config: OrderServiceConfig`. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
