"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.randomHex = randomHex;
const node_crypto_1 = require("node:crypto");
/**
 * Random bytes from the CSPRNG, drawn from a pool refilled 8 KiB at a time (as Node's own
 * randomUUID does): one getrandom call serves hundreds of ids instead of one each, which on a
 * busy server is measurable. Every byte is handed out once.
 */
const POOL_SIZE = 8192;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;
/** `bytes` fresh random bytes (at most 256), as lower-case hex. */
function randomHex(bytes) {
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > 256) {
        throw new RangeError(`randomHex: ${bytes} bytes`);
    }
    if (offset + bytes > POOL_SIZE) {
        (0, node_crypto_1.randomFillSync)(pool);
        offset = 0;
    }
    const hex = pool.toString('hex', offset, offset + bytes);
    pool.fill(0, offset, offset + bytes);
    offset += bytes;
    return hex;
}
//# sourceMappingURL=random.js.map