import { QueryRunner } from 'typeorm';

/** Column types that differ between the two supported databases. */
export function typesFor(queryRunner: QueryRunner) {
  const postgres = queryRunner.connection.options.type === 'postgres';
  return {
    uuid: postgres ? 'uuid' : 'varchar(36)',
    time: postgres ? 'timestamptz' : 'datetime',
    now: postgres ? 'now()' : "strftime('%Y-%m-%d %H:%M:%f', 'now')",
    param: (n: number) => (postgres ? `$${n}` : '?'),
  };
}
