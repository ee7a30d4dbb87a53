export { readConsoleConfig } from './config.js';
export type { ConsoleConfig } from './config.js';
export { startConsole } from './console.js';
export type { RunningConsole } from './console.js';
export type { Redriver, RedriveRequest, RedriveResult } from './redrive.js';
