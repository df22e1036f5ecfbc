import { Agent, IncomingHttpHeaders, request } from 'node:http';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** True when the server answered `100 Continue` before the body was sent. */
  readonly continued: boolean;
}

/**
 * One request with exactly the headers given (node adds only Host). With `Expect: 100-continue`
 * the body is held back until the server says 100 Continue, as .NET's HttpClient does.
 */
export function rawRequest(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
  agent?: Agent,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    let continued = false;
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text: Buffer.concat(chunks).toString('utf8'),
          continued,
        }),
      );
    });
    req.on('error', reject);
    const expectsContinue = Object.entries(headers).some(
      ([k, v]) => k.toLowerCase() === 'expect' && v.toLowerCase() === '100-continue',
    );
    if (expectsContinue && body !== undefined) {
      req.on('continue', () => {
        continued = true;
        req.end(body);
      });
    } else {
      req.end(body);
    }
  });
}
