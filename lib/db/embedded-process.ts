// The app's side of the embedded database: forks embedded-server.mjs (PGlite in a process of its
// own, over the PostgreSQL wire protocol) and talks to it with postgres.js like to any server. The
// app's RSS then holds no WebAssembly heap, and a slow query no longer blocks its event loop.
// `engine` stays 'pglite': the demo seed, the start-up message and the benchmarks decide by it.
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { DatabaseLockedError } from './dir-lock';
import { POSTGRES_CLIENT_OPTIONS, postgresDatabase, type Database } from './engine';

export interface EmbeddedDatabase extends Database {
  /** The database process's pid (benchmarks read its RSS; tests kill it). */
  serverPid: number;
}

type ServerMessage =
  | { type: 'ready'; socket: string; pid: number }
  | { type: 'error'; name: string; message: string }
  | { type: 'copied'; id: string; error?: string };

/** Outside the bundle on purpose: the child runs this file with plain node. */
function serverEntry(): string {
  return path.join(/*turbopackIgnore: true*/ process.cwd(), 'lib', 'db', 'embedded-server.mjs');
}

function waitForReady(child: ChildProcess): Promise<Extract<ServerMessage, { type: 'ready' }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ServerMessage) => {
      if (message.type === 'ready') {
        cleanup();
        resolve(message);
      } else if (message.type === 'error') {
        cleanup();
        const error = message.name === 'DatabaseLockedError' ? Object.create(DatabaseLockedError.prototype) : new Error();
        Object.assign(error, { name: message.name, message: message.message });
        reject(error);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`The embedded database process exited before it was ready (${signal ?? `code ${code}`}).`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Starts PGlite on `dataDir` in its own process and connects to it (one connection: see the server). */
export async function openEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  // No NODE_OPTIONS or execArgv: the parent may run under tsx, Next or an inspector; the child
  // needs none of it. Its own process group, so a signal to the app's group (Ctrl-C, a test
  // runner's kill) reaches the app, and the server closes cleanly when the app's channel closes.
  const { NODE_OPTIONS: _nodeOptions, ...env } = process.env;
  const child = fork(serverEntry(), [path.resolve(/*turbopackIgnore: true*/ dataDir)], {
    execArgv: [],
    env,
    detached: true,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await waitForReady(child);
  // From here the app's own work keeps it alive; the channel alone must not (a script that is done
  // exits, and the server follows it).
  child.unref();
  child.channel?.unref();

  const client = postgres({
    path: ready.socket,
    user: 'postgres',
    database: 'postgres',
    ...POSTGRES_CLIENT_OPTIONS,
    // One connection, kept for the process's life: the server accepts one (see embedded-server.mjs).
    max: 1,
    max_lifetime: 0,
    idle_timeout: 0,
  });
  let closing: Promise<void> | undefined;
  const database = postgresDatabase(client, 'pglite', () => {
    closing ??= (async () => {
      await client.end({ timeout: 5 });
      if (child.exitCode === null && child.signalCode === null) {
        // Keep this process up until the database process has closed PGlite and exited.
        child.ref();
        child.channel?.ref();
        if (child.connected) child.send({ type: 'close' });
        else child.kill('SIGTERM');
        await exited;
      }
    })();
    return closing;
  });
  // COPY FROM STDIN does not pass through the socket: the server loads the CSV from a file.
  const copyCsv = async (table: string, columns: string[], csv: string) => {
    const id = crypto.randomUUID();
    const file = path.join(/*turbopackIgnore: true*/ os.tmpdir(), `ih-copy-${id}.csv`);
    await fs.promises.writeFile(file, csv, { mode: 0o600 });
    try {
      await new Promise<void>((resolve, reject) => {
        const onMessage = (message: ServerMessage) => {
          if (message.type !== 'copied' || message.id !== id) return;
          child.off('message', onMessage);
          child.off('exit', onExit);
          if (message.error) reject(new Error(message.error));
          else resolve();
        };
        const onExit = () => reject(new Error('The embedded database process exited during COPY.'));
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send({ type: 'copy', id, table, columns, file });
      });
    } finally {
      await fs.promises.rm(file, { force: true });
    }
  };
  return { ...database, copyCsv, serverPid: ready.pid };
}
