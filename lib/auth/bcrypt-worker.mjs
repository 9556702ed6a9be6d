// A worker thread that runs bcrypt (bcryptjs: plain JavaScript, no native code) so a hash never
// blocks the app's event loop. lib/auth/password-hashing.ts owns the pool and the protocol:
//   { id, op: 'hash', password, cost }    → { id, result: '$2a$<cost>$…' }
//   { id, op: 'compare', password, hash } → { id, result: true | false }
// Failures answer { id, error: <class name> }: never a message, which could quote an argument.
import { parentPort } from 'node:worker_threads';
import bcrypt from 'bcryptjs';

parentPort.on('message', ({ id, op, password, cost, hash }) => {
  try {
    let result;
    if (op === 'hash') {
      // $2a$ like pgcrypto's crypt() and Supabase Auth write; for passwords of at most 72 bytes
      // (bcrypt reads no further) $2a$ and $2b$ hashes are the same computation.
      result = bcrypt.hashSync(password, bcrypt.genSaltSync(cost).replace(/^\$2b\$/, '$2a$'));
    } else if (op === 'compare') {
      result = bcrypt.compareSync(password, hash);
    } else {
      throw new TypeError('unknown operation');
    }
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.name : 'Error' });
  }
});
