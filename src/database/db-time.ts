import { DataSource, EntityManager } from 'typeorm';

/**
 * A Date as a raw SQL parameter, in the form TypeORM itself stores for the driver: SQLite keeps
 * UTC text ('YYYY-MM-DD HH:MM:SS.SSS'), which compares correctly as text; PostgreSQL takes a Date.
 */
export function dbTime(source: DataSource | EntityManager, date: Date): Date | string {
  const type = (source instanceof DataSource ? source : source.connection).options.type;
  return type === 'sqlite' ? date.toISOString().replace('T', ' ').replace('Z', '') : date;
}
