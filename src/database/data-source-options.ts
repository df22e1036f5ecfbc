import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import sqlite3 from 'sqlite3';
import { DataSourceOptions } from 'typeorm';
import { Account } from '../accounts/entities/account.entity';
import { AuditEvent } from '../audit/entities/audit-event.entity';
import { DatabaseConfig } from '../config/app-config';
import { RecoveryCode } from '../mfa/entities/recovery-code.entity';
import { Role } from '../roles/entities/role.entity';
import { Session } from '../sessions/entities/session.entity';
import { MIGRATIONS } from './migrations';
import { TimeoutDiscardingClient } from './pg-client';

export const ENTITIES = [Account, Role, Session, RecoveryCode, AuditEvent];

/** One description of the database for the app, the tests and the migration CLI. */
export function buildDataSourceOptions(config: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: false,
  };
  if (config.kind === 'sqlite') {
    if (config.file !== ':memory:') {
      mkdirSync(dirname(config.file), { recursive: true });
      // Created owner-only (the keys are too); SQLite gives its -wal and -shm files the same mode.
      closeSync(openSync(config.file, 'a', 0o600));
    }
    return {
      ...common,
      type: 'sqlite',
      database: config.file,
      // TypeORM calls verbose() on the driver, which wraps every call to capture a stack trace
      // (3-6% of the CPU under load); this driver answers verbose() with itself.
      driver: { ...sqlite3, verbose: () => sqlite3 },
      enableWAL: true,
      busyTimeout: 5000,
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: config.url,
    ssl: config.ssl ? { rejectUnauthorized: true } : false,
    // Passed to node-postgres' pool. statement_timeout is the server's limit; it cannot fire when
    // the server stops answering (a partition), so the client has its own: query_timeout for a
    // query, connectionTimeoutMillis for opening a connection (or waiting for a free one), and TCP
    // keepalive so an idle connection to a vanished server is noticed.
    extra: {
      max: config.poolSize,
      statement_timeout: config.statementTimeoutMs,
      query_timeout: config.queryTimeoutMs,
      connectionTimeoutMillis: config.connectTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      Client: TimeoutDiscardingClient,
    },
  };
}
