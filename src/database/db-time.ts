import { DataSource, EntityManager } from 'typeorm';

/**
 * A Date as a raw SQL parameter, in the form TypeORM itself stores for the driver: SQLite keeps
 * UTC text ('YYYY-MM-DD HH:MM:SS.SSS'), which compares correctly as text; PostgreSQL takes a Date.
 */
export function dbTime(source: DataSource | EntityManager, date: Date): Date | string {
  const type = (source instanceof DataSource ? source : source.connection).options.type;
  return type === 'sqlite' ? date.toISOString().replace('T', ' ').replace('Z', '') : date;
}

/** A timestamp as a raw query answers it: SQLite's UTC text, or PostgreSQL's Date. */
export function fromDbTime(value: string | Date | null): Date | null {
  if (value === null || value instanceof Date) return value;
  return new Date(`${value.replace(' ', 'T')}Z`);
}

/** A raw query's `?` placeholders, numbered `$1, $2, ...` on PostgreSQL. */
export function placeholders(source: DataSource | EntityManager, query: string): string {
  const type = (source instanceof DataSource ? source : source.connection).options.type;
  if (type !== 'postgres') return query;
  let n = 0;
  return query.replace(/\?/g, () => `$${++n}`);
}
