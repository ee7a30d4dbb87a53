/** `@sqsref/sqs-transport/testing`: the test kit, listed by name (pinned by `index.spec.ts`). */
export { sqsEmulatorAt, startSqsEmulator } from './emulator.js';
export type { SqsEmulator } from './emulator.js';
export { FakeSqsClient } from './fake-sqs-client.js';
export type { EntryFault, RecordedCall } from './fake-sqs-client.js';
export { freePort } from './free-port.js';
export { HandlerSpy } from './handler-spy.js';
export { seededRandom } from './seeded-random.js';
export { StallableProxy } from './stallable-proxy.js';
export type { StallableProxyOptions } from './stallable-proxy.js';
export { waitFor } from './wait-for.js';
export type { Truthy, WaitForOptions } from './wait-for.js';
