import { createConnection } from 'node:net';

export interface SocketResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
  /** Everything the server sent, as received. */
  readonly raw: string;
}

/**
 * Sends bytes exactly as given over a plain TCP connection and reads the answer until the server
 * closes it: for requests an HTTP client refuses to send (oversized or malformed heads).
 */
export function rawExchange(
  port: number,
  bytes: string,
  timeoutMs = 5000,
): Promise<SocketResponse> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
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
      const headers: Record<string, string> = {};
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
