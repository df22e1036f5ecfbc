// First: sizes libuv's thread pool before anything can start it.
import './threadpool';
import 'reflect-metadata';
import { createApp } from './app.setup';
import { startDraining } from './common/http/draining';
import { createLogger } from './common/logging/logger';
import { ConfigError, loadConfig } from './config/app-config';

const SHUTDOWN_DEADLINE_MS = 9000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Invalid configuration: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const app = await createApp(config, logger);
  const server = app.getHttpServer();
  // HOST, or every interface (IPv6 and IPv4; IPv4 alone where the machine has no IPv6).
  const host = config.host;
  try {
    await (host !== undefined
      ? app.listen(config.port, host)
      : app.listen(config.port, '::').catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'EAFNOSUPPORT' && error.code !== 'EADDRNOTAVAIL') throw error;
          return app.listen(config.port, '0.0.0.0');
        }));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRNOTAVAIL' || code === 'EADDRINUSE' || code === 'EACCES') {
      const what = code === 'EADDRNOTAVAIL' ? 'HOST' : 'PORT';
      process.stderr.write(
        `Invalid configuration: ${what}: cannot listen on ${host ?? '::'}:${config.port} (${code})\n`,
      );
      process.exit(1);
    }
    throw error;
  }
  logger.info(
    { host: host ?? 'every interface', port: config.port, database: config.database.kind },
    'listening',
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown deadline passed; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    // Stop accepting, let requests in flight finish (closing their connections), then close the database.
    startDraining();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
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
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`Start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
