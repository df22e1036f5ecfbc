/**
 * The password-hashing process, forked by HashProcess: argon2id runs here, on this process's own
 * libuv pool (sized by the service to its hash concurrency), so that the service's pool is left to
 * the sqlite3 driver and a burst of sign-ins never makes a database call wait behind a hash. It
 * answers each request on the IPC channel and lives exactly as long as that channel: it exits when
 * the service closes it or dies.
 */
import { setPriority } from 'node:os';
import * as argon2 from 'argon2';
import { ARGON2ID_OPTIONS, HASH_PRIORITY, HashReply, HashRequest } from './hash-protocol';

// Below the service's own threads: when the cores are busy, answering requests comes before
// hashing passwords (a burst of sign-ins waits, not everybody else). Set before the pool threads
// that hash are started: they take this thread's priority.
setPriority(HASH_PRIORITY);

process.on('message', (request: HashRequest) => void answer(request));
process.on('disconnect', () => process.exit(0));
// A signal sent to the whole process group (Ctrl-C in a terminal, systemd's stop) is the
// service's to handle: it finishes the sign-ins in flight, then closes the channel.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);

async function answer(request: HashRequest): Promise<void> {
  let reply: HashReply;
  try {
    const value =
      request.op === 'hash'
        ? await argon2.hash(request.password, { ...ARGON2ID_OPTIONS, type: argon2.argon2id })
        : await argon2.verify(request.hash, request.password);
    reply = { id: request.id, ok: true, value };
  } catch (error) {
    reply =
      request.op === 'verify' && !readable(request.hash)
        ? { id: request.id, ok: false, unreadable: true }
        : { id: request.id, ok: false, failure: (error as Error).message };
  }
  if (process.connected) process.send?.(reply);
}

/** Whether a stored hash parses as argon2's (PHC) string. */
function readable(hash: string): boolean {
  try {
    argon2.needsRehash(hash);
    return true;
  } catch {
    return false;
  }
}
