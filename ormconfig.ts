import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from './src/config/app-config';
import { buildDataSourceOptions } from './src/database/data-source-options';

/** The data source the TypeORM CLI uses (`npm run migration:run|revert|generate`). */
export default new DataSource(buildDataSourceOptions(loadDatabaseConfig()));
