"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// First: sizes libuv's thread pool before anything can start it.
require("./threadpool");
require("reflect-metadata");
const app_setup_1 = require("./app.setup");
const draining_1 = require("./common/http/draining");
const logger_1 = require("./common/logging/logger");
const app_config_1 = require("./config/app-config");
const SHUTDOWN_DEADLINE_MS = 9000;
async function main() {
    let config;
    try {
        config = (0, app_config_1.loadConfig)();
    }
    catch (error) {
        if (error instanceof app_config_1.ConfigError) {
            process.stderr.write(`Invalid configuration: ${error.message}\n`);
            process.exit(1);
        }
        throw error;
    }
    const logger = (0, logger_1.createLogger)(config.logLevel);
    const app = await (0, app_setup_1.createApp)(config, logger);
    const server = app.getHttpServer();
    // Every interface, as Node listens by default (Fastify's own default is localhost only).
    await app.listen(config.port, '::').catch((error) => {
        if (error.code !== 'EAFNOSUPPORT' && error.code !== 'EADDRNOTAVAIL')
            throw error;
        return app.listen(config.port, '0.0.0.0');
    });
    logger.info({ port: config.port, database: config.database.kind }, 'listening');
    let stopping = false;
    const stop = (signal) => {
        if (stopping)
            return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        setTimeout(() => {
            logger.error('shutdown deadline passed; exiting');
            process.exit(1);
        }, SHUTDOWN_DEADLINE_MS).unref();
        // Stop accepting, let requests in flight finish (closing their connections), then close the database.
        (0, draining_1.startDraining)();
        const closed = new Promise((resolve) => server.close(() => resolve()));
        // Connections that fall idle after their last answer are closed at once, not after keep-alive.
        const sweeper = setInterval(() => server.closeIdleConnections(), 100);
        server.closeIdleConnections();
        closed
            .finally(() => clearInterval(sweeper))
            .then(() => app.close())
            .then(() => {
            logger.info('stopped');
            logger.flush();
            process.exit(0);
        })
            .catch((error) => {
            logger.error({ err: error }, 'shutdown failed');
            process.exit(1);
        });
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
}
main().catch((error) => {
    process.stderr.write(`Start failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
});
//# sourceMappingURL=main.js.map