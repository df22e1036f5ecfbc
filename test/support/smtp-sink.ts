import assert from 'node:assert/strict';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { freePort } from './service-process';

/** One message as the SMTP server received it: the envelope, the raw text, its parts read back. */
export interface ReceivedMail {
  readonly mailFrom: string;
  readonly rcptTo: string[];
  readonly raw: string;
  /** Header names in lower case, folded lines unfolded; the first of a repeated header. */
  readonly headers: ReadonlyMap<string, string>;
  /** The body, its transfer encoding (quoted-printable, base64) undone, line breaks as \n. */
  readonly text: string;
}

/** An address as a header shows it, either "Name <a@b>" or "a@b": the a@b. */
export function addressOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /<([^<>]+)>\s*$/.exec(header);
  return (match ? match[1] : header).trim();
}

function decodeQuotedPrintable(body: string): string {
  const softBreaksGone = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < softBreaksGone.length; i++) {
    const c = softBreaksGone[i];
    const hex = softBreaksGone.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Headers and body of a single-part text message (what the mailer sends), read by hand. */
export function parseMessage(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  assert.ok(split > 0, 'the message has headers and a body');
  const headers = new Map<string, string>();
  const unfolded = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  for (const line of unfolded.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  const body = raw.slice(split + 4).replace(/\r\n\.\r\n$|\r\n$/, '');
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const decoded =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
        : body;
  return { headers, text: decoded.replace(/\r\n/g, '\n') };
}

interface Hold {
  readonly addresses: string[];
  readonly arrived: (mail: ReceivedMail) => void;
  readonly released: Promise<void>;
}

/** An SMTP reply the server answers a recipient with, to make a delivery attempt fail. */
export type Refusal = { readonly code: number; readonly message: string } | undefined;

/**
 * A real SMTP server (smtp-server) on a free port of 127.0.0.1, no TLS, no login needed, which
 * keeps every message it accepts. `refuse` decides, per recipient, whether RCPT TO is refused.
 */
export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  /** The recipients refused so far, in order (one entry per refused RCPT TO). */
  readonly refused: string[] = [];
  /** Asked at each RCPT TO: a refusal, or undefined to accept. */
  refuse: (recipient: string) => Refusal = () => undefined;
  private readonly holds: Hold[] = [];

  private readonly server: SMTPServer;

  private constructor(readonly port: number) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      closeTimeout: 1000,
      onRcptTo: (address: SMTPServerAddress, _session, callback) => {
        const refusal = this.refuse(address.address);
        if (refusal === undefined) return callback();
        this.refused.push(address.address);
        callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const { headers, text } = parseMessage(raw);
          const mail: ReceivedMail = {
            mailFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            rcptTo: session.envelope.rcptTo.map((a) => a.address),
            raw,
            headers,
            text,
          };
          const accept = () => {
            this.messages.push(mail);
            callback();
          };
          const hold = this.takeHold(mail);
          if (hold === undefined) return accept();
          hold.arrived(mail);
          void hold.released.then(accept);
        });
      },
    });
  }

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink(await freePort());
    await new Promise<void>((resolve, reject) => {
      sink.server.once('error', reject);
      sink.server.listen(sink.port, '127.0.0.1', () => resolve());
    });
    return sink;
  }

  /**
   * Holds the next message to one of these addresses once its DATA is in, without answering,
   * until `release()`: a send that takes as long as the test wants. The message counts as
   * received when released.
   */
  hold(addresses: string[]): { arrived: Promise<ReceivedMail>; release: () => void } {
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    let arrived: (mail: ReceivedMail) => void = () => {};
    const arrival = new Promise<ReceivedMail>((resolve) => (arrived = resolve));
    this.holds.push({ addresses, arrived, released });
    return { arrived: arrival, release };
  }

  private takeHold(mail: ReceivedMail): Hold | undefined {
    const index = this.holds.findIndex((h) => h.addresses.some((a) => mail.rcptTo.includes(a)));
    return index < 0 ? undefined : this.holds.splice(index, 1)[0];
  }

  /** SMTP_URL for the service. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The messages received for this address. */
  to(address: string): ReceivedMail[] {
    return this.messages.filter((m) => m.rcptTo.includes(address));
  }

  /** The messages received with this Message-ID header. */
  withMessageId(messageId: string): ReceivedMail[] {
    return this.messages.filter((m) => m.headers.get('message-id') === messageId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls an asynchronous probe until it answers something (a row the service writes later). */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
