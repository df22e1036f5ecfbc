"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * libuv's pool serves argon2 and the sqlite3 driver alike (and file system calls). Sized here,
 * before anything uses it, to the password hashes allowed at once plus four, so that hashes never
 * take every thread from the database. An operator's UV_THREADPOOL_SIZE wins.
 */
const hashes = Number(process.env.PASSWORD_HASH_CONCURRENCY ?? '2');
process.env.UV_THREADPOOL_SIZE ??= String((Number.isInteger(hashes) && hashes > 0 ? hashes : 2) + 4);
//# sourceMappingURL=threadpool.js.map