// Opens either engine behind one Drizzle API: postgres.js for any PostgreSQL server
// (DATABASE_URL) and for the app's embedded PGlite, which runs in its own process
// (embedded-process.ts); or PGlite in this process, persisted to a directory or in memory (tests,
// scripts, benchmarks).
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { acquireDirectoryLock } from './dir-lock';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or an open transaction: domain functions accept both. */
export type Queryable = Db | Tx;

export type EngineOptions =
  | { engine: 'postgres'; url: string; max?: number }
  | { engine: 'pglite'; dataDir?: string };

export interface Database {
  engine: EngineOptions['engine'];
  db: Db;
  /** Runs a multi-statement SQL script in one transaction (migrations, seed). */
  execScript(script: string): Promise<void>;
  /** Bulk-loads CSV with COPY (benchmarks measure our upserts against it). */
  copyCsv(table: string, columns: string[], csv: string): Promise<void>;
  close(): Promise<void>;
}

/** The postgres.js options both server kinds share (a real server, or the embedded one's socket). */
export const POSTGRES_CLIENT_OPTIONS = {
  onnotice: () => {},
  // Report int8 (counts) as numbers on both engines, as PGlite does.
  types: {
    int8: { to: 20, from: [20], serialize: (value: number) => String(value), parse: (value: string) => Number(value) },
  },
} satisfies postgres.Options<Record<string, postgres.PostgresType>>;

/** A Database over a postgres.js client: a real server, or PGlite served by its own process. */
export function postgresDatabase(client: postgres.Sql<{ int8: number }>, engine: Database['engine'], close: () => Promise<void>): Database {
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  return {
    engine,
    db,
    execScript: async (script) => {
      await client.begin(async (tx) => {
        await tx.unsafe(script);
      });
    },
    copyCsv: async (table, columns, csv) => {
      const stream = await client.unsafe(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`).writable();
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject);
        stream.on('finish', resolve);
        stream.end(csv);
      });
    },
    close,
  };
}

export async function openDatabase(options: EngineOptions): Promise<Database> {
  if (options.engine === 'postgres') {
    const client = postgres(options.url, { max: options.max ?? 10, ...POSTGRES_CLIENT_OPTIONS });
    return postgresDatabase(client, 'postgres', () => client.end({ timeout: 5 }));
  }

  const release = options.dataDir ? acquireDirectoryLock(options.dataDir) : () => {};
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      dataDir: options.dataDir,
      extensions: { pgcrypto },
      // PostgreSQL's default 128 MB of shared buffers is all touched at start-up in WebAssembly
      // memory; 32 MB costs a few percent of sync speed on 100,000 records and saves ~100 MB of RSS.
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${process.env.PGLITE_SHARED_BUFFERS ?? '32MB'}`],
    });
  } catch (error) {
    release();
    throw error;
  }
  const db = drizzlePglite({ client: pglite, schema }) as unknown as Db;
  return {
    engine: 'pglite',
    db,
    execScript: async (script) => {
      await pglite.transaction(async (tx) => {
        await tx.exec(script);
      });
    },
    copyCsv: async (table, columns, csv) => {
      await pglite.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob' with (format csv)`, [], { blob: new Blob([csv]) });
    },
    close: async () => {
      await pglite.close();
      release();
    },
  };
}

/** Rows of a raw `db.execute()` result, whichever driver produced it. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
