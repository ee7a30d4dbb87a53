/**
 * The Node flag that backs `AsyncLocalStorage` with async context frames instead of promise hooks: Node 24's default,
 * opt-in on Node 22.7+ and 23. With tracing on, the OpenTelemetry SDK's context manager is an `AsyncLocalStorage`;
 * on promise hooks it slows every promise of the process (the AWS SDK's included), with frames only the spans' own
 * work remains (`bench/tracing-overhead.mjs` measures both).
 */
export const ASYNC_CONTEXT_FRAME_FLAG = '--experimental-async-context-frame';

/** The flags a service is started with for async context frames on Node `version`: none where it is the default. */
export function asyncContextFrameFlags(version: string = process.versions.node): string[] {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const optIn = (major === 22 && minor >= 7) || major === 23;
  return optIn ? [ASYNC_CONTEXT_FRAME_FLAG] : [];
}
