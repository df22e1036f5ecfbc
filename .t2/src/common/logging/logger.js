"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.NestPinoLogger = exports.APP_LOGGER = void 0;
exports.createLogger = createLogger;
const pino_1 = __importDefault(require("pino"));
exports.APP_LOGGER = Symbol('APP_LOGGER');
/** JSON lines on stdout. Headers and bodies are never logged, so no token or code can leak. */
function createLogger(level, destination) {
    return (0, pino_1.default)({
        level,
        base: { service: 'mfa-admin' },
        timestamp: pino_1.default.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        redact: {
            paths: ['*.password', '*.Password', '*.code', '*.secret', '*.token', '*.authorization'],
            censor: '[redacted]',
        },
    }, destination);
}
/** Nest's own messages (start-up, routes) through the same pino instance. */
class NestPinoLogger {
    logger;
    constructor(logger) {
        this.logger = logger;
    }
    write(level, message, context) {
        const last = context.at(-1);
        const scope = typeof last === 'string' ? last : undefined;
        if (message instanceof Error) {
            this.logger[level]({ context: scope, err: message }, message.message);
        }
        else {
            this.logger[level]({ context: scope }, String(message));
        }
    }
    log(message, ...context) {
        this.write('info', message, context);
    }
    error(message, ...context) {
        this.write('error', message, context);
    }
    warn(message, ...context) {
        this.write('warn', message, context);
    }
    debug(message, ...context) {
        this.write('debug', message, context);
    }
    verbose(message, ...context) {
        this.write('trace', message, context);
    }
}
exports.NestPinoLogger = NestPinoLogger;
//# sourceMappingURL=logger.js.map