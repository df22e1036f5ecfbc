import { Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { PreparedSql } from './prepared-sql';
import { TransactionRunner } from './transaction-runner';

/** The data source: migrations applied on start, never `synchronize`. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.database),
        migrationsRun: true,
        retryAttempts: 0,
      }),
    }),
  ],
  providers: [TransactionRunner, PreparedSql],
  exports: [TransactionRunner, PreparedSql],
})
export class DatabaseModule implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.config.database.kind === 'sqlite') {
      // WAL and busy_timeout are set by the driver options; NORMAL is durable enough under WAL.
      await this.dataSource.query('PRAGMA synchronous = NORMAL');
    }
  }
}
