import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger } from 'pino';
import { LogLevel } from '../../config/app-config';

export const APP_LOGGER = Symbol('APP_LOGGER');
export type AppLogger = Logger;

/** JSON lines on stdout. Headers and bodies are never logged, so no token or code can leak. */
export function createLogger(level: LogLevel, destination?: DestinationStream): AppLogger {
  return pino(
    {
      level,
      base: { service: 'mfa-admin' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ['*.password', '*.Password', '*.code', '*.secret', '*.token', '*.authorization'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/** Nest's own messages (start-up, routes) through the same pino instance. */
/**
 * Nest's start-up chatter (a line per module and per route: about 45): at debug, so that a first
 * start at info shows the few lines that matter, the one-time password among them.
 */
const START_UP_DETAIL = new Set([
  'NestFactory',
  'InstanceLoader',
  'RoutesResolver',
  'RouterExplorer',
]);

export class NestPinoLogger implements LoggerService {
  constructor(private readonly logger: AppLogger) {}

  private write(
    level: 'trace' | 'debug' | 'info' | 'warn' | 'error',
    message: unknown,
    context: unknown[],
  ): void {
    const last = context.at(-1);
    const scope = typeof last === 'string' ? last : undefined;
    if (message instanceof Error) {
      this.logger[level]({ context: scope, err: message }, message.message);
    } else {
      this.logger[level]({ context: scope }, String(message));
    }
  }

  log(message: unknown, ...context: unknown[]): void {
    const last = context.at(-1);
    const detail = typeof last === 'string' && START_UP_DETAIL.has(last);
    this.write(detail ? 'debug' : 'info', message, context);
  }
  error(message: unknown, ...context: unknown[]): void {
    this.write('error', message, context);
  }
  warn(message: unknown, ...context: unknown[]): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, ...context: unknown[]): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, ...context: unknown[]): void {
    this.write('trace', message, context);
  }
}
