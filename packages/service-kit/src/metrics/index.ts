export { ServiceMetrics } from './service-metrics.js';
export { httpMetrics } from './http-metrics.js';
export { methodOf, routeOf, UNMATCHED_ROUTE } from './http-route.js';
