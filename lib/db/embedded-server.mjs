// The embedded database's own process: PGlite (WebAssembly PostgreSQL) served over the PostgreSQL
// wire protocol, so its memory and its CPU-bound query work stay out of the app's process and off
// its event loop. The app (lib/db/embedded-process.ts) forks this file and talks to it with
// postgres.js, exactly as it talks to a real server.
//
// Plain JavaScript, run as is by node: production installs may lack tsx, and Next must not bundle
// it. Usage: fork(this file, [dataDir]) with an IPC channel. It takes the directory lock, opens
// PGlite, listens on a Unix socket inside the data directory (mode 0600; in a private directory of
// its own under the system temp directory when that path is too long for a socket), and sends
// { type: 'ready', socket }. Never a TCP port: the server has no password, so only the file
// system's permissions keep other local users out. Any failure
// is sent as { type: 'error', name, message } before exiting 1.
//
// Besides { type: 'close' } it takes { type: 'copy', id, table, columns, file } (see copyCsv below).
//
// It never outlives the app: when the IPC channel closes (the app exited, was killed with SIGKILL,
// or asked with { type: 'close' }), or on SIGTERM/SIGINT, it stops listening, closes PGlite (a clean
// shutdown: everything written is on disk), releases the lock and exits.
//
// One client connection only (maxConnections 1, and the app's pool is max 1): pglite-socket queues
// each protocol message on its own and keeps a connection's messages together only while PostgreSQL
// reports a transaction block, which is not the case between an extended-protocol Parse/Bind/
// Execute and its Sync; two connections could interleave there and mix unnamed statements and
// portals. PGlite runs one query at a time anyway; postgres.js pipelines and queues on the one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { acquireDirectoryLockFor } from './embedded-lock.mjs';

const dataDir = path.resolve(process.argv[2] ?? '');
const ownerPid = process.ppid;
/** Linux allows 107 bytes in a socket path; past that, a short private directory is used. */
const SOCKET_PATH_MAX = 100;

let pglite;
let server;
let release = () => {};
let closing;
/** The private directory holding the socket when the data directory's path is too long. */
let socketDir;

function send(message) {
  if (process.connected) process.send(message);
}

function shutdown(code) {
  closing ??= (async () => {
    try {
      await server?.stop();
      await pglite?.close();
    } catch (error) {
      console.error(`Embedded database: error while closing: ${error.message}`);
      code = 1;
    } finally {
      release();
      if (socketDir) fs.rmSync(socketDir, { recursive: true, force: true });
      else if (server?.path) fs.rmSync(server.path, { force: true });
      process.exit(code);
    }
  })();
  return closing;
}

async function start() {
  if (!process.argv[2] || !process.send) throw new Error('usage: fork(embedded-server.mjs, [dataDir]) with an IPC channel');
  release = await acquireDirectoryLockFor(dataDir, ownerPid);
  pglite = await PGlite.create({
    dataDir,
    extensions: { pgcrypto },
    // PostgreSQL's default 128 MB of shared buffers is all touched at start-up in WebAssembly
    // memory; 32 MB costs a few percent of sync speed on 100,000 records and saves ~100 MB of RSS.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${process.env.PGLITE_SHARED_BUFFERS ?? '32MB'}`],
  });
  let socketPath = path.join(dataDir, '.s.PGSQL.5432');
  if (Buffer.byteLength(socketPath) > SOCKET_PATH_MAX) {
    // mkdtemp creates the directory with mode 0700: nobody else can reach the socket inside.
    socketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ih-db-'));
    socketPath = path.join(socketDir, '.s.PGSQL.5432');
  }
  // A socket file left by a server that was killed: we hold the lock, so it is nobody's.
  fs.rmSync(socketPath, { force: true });
  server = new PGLiteSocketServer({ db: pglite, maxConnections: 1, path: socketPath });
  await server.start();
  // Anyone who can open the socket is the database's superuser: only this user may.
  fs.chmodSync(socketPath, 0o600);
  send({ type: 'ready', socket: socketPath, pid: process.pid });
}

process.on('disconnect', () => void shutdown(0));
process.on('message', (message) => {
  if (message?.type === 'close') void shutdown(0);
  if (message?.type === 'copy') void copyCsv(message);
});

/**
 * COPY … FROM STDIN does not pass through pglite-socket (the copy sub-protocol never completes),
 * so the benchmarks' bulk load comes here: the app writes the CSV to a file and PGlite reads it as
 * a blob. It runs between the client's messages, so the app calls it outside any transaction.
 */
async function copyCsv({ id, table, columns, file }) {
  try {
    const blob = new Blob([await fs.promises.readFile(file)]);
    await pglite.query(`copy ${table} (${columns.join(', ')}) from '/dev/blob' with (format csv)`, [], { blob });
    send({ type: 'copied', id });
  } catch (error) {
    send({ type: 'copied', id, error: error.message });
  }
}
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => void shutdown(0));

start().catch((error) => {
  release();
  // Exit once the message is out: exiting at once could drop it.
  if (process.connected) process.send({ type: 'error', name: error.name, message: error.message }, () => process.exit(1));
  else process.exit(1);
});
