export { HandlerFaultInterceptor, InjectedFaultError } from './handler-fault.interceptor.js';
export type { HandlerFaultOptions } from './handler-fault.interceptor.js';
