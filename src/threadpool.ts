import { isIP } from 'node:net';

/**
 * libuv's pool is the sqlite3 driver's: every statement is handed to a pool thread and its answer
 * handed back (argon2id runs in a process of its own: accounts/hash-worker.ts). One thread by
 * default, sized here before anything uses the pool: each hand-off to a sleeping thread wakes it,
 * and the more threads the pool has, the more of them sleep and are woken, which measurably costs
 * every request more CPU than the parallelism gains (SQLite runs one statement at a time per
 * connection anyway). A second thread when SMTP_URL names its server by host name: where DNS
 * answers nothing, nodemailer falls back to getaddrinfo on the pool, which must not hold every
 * statement up for the resolver's timeouts. An operator's UV_THREADPOOL_SIZE wins.
 */
process.env.UV_THREADPOOL_SIZE ??= String(1 + (smtpByName(process.env.SMTP_URL) ? 1 : 0));

function smtpByName(url: string | undefined): boolean {
  if (url === undefined || url === '') return false;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    return host !== '' && isIP(host) === 0;
  } catch {
    return true; // refused by the configuration check, which runs next
  }
}
