export * from './logger.js';
export * from './transport-logging.js';
// Services log through nestjs-pino's PinoLogger (pino's `logger.info(fields, message)`), with the correlation id
// of the current request or message bound automatically.
export { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
