"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rawExchange = rawExchange;
const node_net_1 = require("node:net");
/**
 * Sends bytes exactly as given over a plain TCP connection and reads the answer until the server
 * closes it: for requests an HTTP client refuses to send (oversized or malformed heads).
 */
function rawExchange(port, bytes, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
        const socket = (0, node_net_1.createConnection)({ host: '127.0.0.1', port });
        const chunks = [];
        const timer = setTimeout(() => {
            socket.destroy();
            reject(new Error(`no complete answer within ${timeoutMs} ms`));
        }, timeoutMs);
        socket.on('data', (c) => chunks.push(c));
        // The server may close while we still write: what it answered is what counts.
        socket.on('error', () => undefined);
        socket.on('close', () => {
            clearTimeout(timer);
            const raw = Buffer.concat(chunks).toString('utf8');
            const split = raw.indexOf('\r\n\r\n');
            if (split < 0) {
                reject(new Error(`no HTTP answer: ${JSON.stringify(raw.slice(0, 200))}`));
                return;
            }
            const [statusLine, ...headerLines] = raw.slice(0, split).split('\r\n');
            const headers = {};
            for (const line of headerLines) {
                const colon = line.indexOf(':');
                headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
            }
            resolve({
                status: Number(statusLine.split(' ')[1]),
                headers,
                text: raw.slice(split + 4),
                raw,
            });
        });
        socket.write(bytes);
    });
}
//# sourceMappingURL=raw-socket.js.map