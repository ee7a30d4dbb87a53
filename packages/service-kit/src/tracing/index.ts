export { startTracing } from './start-tracing.js';
export type { Tracing, TracingOverrides } from './start-tracing.js';
export { tracesRequested, TRACES_EXPORTERS } from './tracing-env.js';
export { withSpan } from './with-span.js';
