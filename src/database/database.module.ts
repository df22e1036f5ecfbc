import { Global, Inject, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { buildDataSourceOptions } from './data-source-options';
import { runPendingMigrations } from './migrate';
import { Sql } from './sql';
import { WriteQueue } from './write-queue';

/**
 * The data source: pending migrations applied on start (one instance at a time on PostgreSQL),
 * never `synchronize`.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        ...buildDataSourceOptions(config.database),
        retryAttempts: 0,
      }),
      // The data source is handed to the app only once the schema is migrated.
      dataSourceFactory: async (options) => {
        if (options === undefined) throw new Error('no data source options');
        const dataSource = await new DataSource(options).initialize();
        try {
          await runPendingMigrations(dataSource);
        } catch (error) {
          await dataSource.destroy().catch(() => {});
          throw error;
        }
        return dataSource;
      },
    }),
  ],
  providers: [WriteQueue, Sql],
  exports: [WriteQueue, Sql],
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
