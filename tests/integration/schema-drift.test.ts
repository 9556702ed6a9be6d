// The Drizzle schema (lib/db/schema.ts) is the source of row types; the migrations are the
// source of truth for the database. This fails the moment the two disagree.
import { sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '@/lib/db/engine';
import { publicTables } from '@/lib/db/schema';
import { createTestDatabase, testEngine, type TestDatabase } from '../support/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

interface CatalogColumn {
  table: string;
  column: string;
  type: string;
  nullable: boolean;
}

describe(`Drizzle schema matches the migrations (${testEngine})`, () => {
  it('has the same tables, columns, types and nullability', async () => {
    const catalog = rowsOf<CatalogColumn>(
      await database.db.execute(sql`
        select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type,
               not a.attnotnull as nullable
        from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped
        order by 1, 2`),
    );
    const fromMigrations = catalog.map((c) => `${c.table}.${c.column}: ${c.type}${c.nullable ? '' : ' not null'}`);
    const fromDrizzle = Object.entries(publicTables).flatMap(([name, table]) => {
      const config = getTableConfig(table);
      expect(config.name).toBe(name);
      return config.columns.map((column) => {
        const notNull = column.notNull || column.primary || pkColumns(config).includes(column.name);
        return `${name}.${column.name}: ${column.getSQLType()}${notNull ? ' not null' : ''}`;
      });
    });
    expect(fromDrizzle.sort()).toEqual(fromMigrations.sort());
  });
});

function pkColumns(config: ReturnType<typeof getTableConfig>): string[] {
  return config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name));
}
