import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { errorCodes } from 'fastify';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import { asciiLower } from '../ascii';
import { DomainError, ErrorCode } from '../problem/domain-error';
import { headerOf } from './request-context';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Content types read as JSON. PowerShell's `Invoke-RestMethod -Body <string>` without
 * `-ContentType` sends `application/x-www-form-urlencoded`; curl's `--data` does the same.
 */
function kindOf(contentType: string | undefined): 'json' | 'lenient' | 'unsupported' {
  if (contentType === undefined || contentType.trim() === '') return 'lenient';
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  if (
    mediaType === 'application/json' ||
    mediaType === 'text/json' ||
    // Zabbix's JSON-RPC clients send this.
    mediaType === 'application/json-rpc' ||
    /^application\/[\w.+-]+\+json$/.test(mediaType)
  )
    return 'json';
  if (mediaType === 'application/x-www-form-urlencoded' || mediaType === 'text/plain')
    return 'lenient';
  return 'unsupported';
}

function malformed(message: string): DomainError {
  return DomainError.validation({ $: [message] });
}

/** How deep JSON may nest: the DTOs need three levels; deeper input is refused, not recursed. */
export const MAX_JSON_DEPTH = 32;

const NUL = '\u0000';

/**
 * Walks JSON text that JSON.parse accepted and answers what is wrong with it, if anything:
 * nesting deeper than MAX_JSON_DEPTH, an object naming one member twice (names compared as
 * request bodies are read: case-insensitively), a NUL character in any string.
 */
export function jsonShapeProblem(text: string): string | undefined {
  const objects: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      let escaped = false;
      while (text[end] !== '"') end += text[end] === '\\' ? ((escaped = true), 2) : 1;
      const raw = text.slice(i + 1, end);
      const value = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
      if (value.includes(NUL)) return 'A string contains a NUL character.';
      const members = objects.at(-1);
      if (expectKey && members) {
        const name = asciiLower(value);
        if (members.has(name)) return `The member '${value.slice(0, 64)}' is given twice.`;
        members.add(name);
        expectKey = false;
      }
      i = end;
    } else if (c === '{' || c === '[') {
      if (objects.length >= MAX_JSON_DEPTH) {
        return `The JSON value is nested deeper than ${MAX_JSON_DEPTH} levels.`;
      }
      objects.push(c === '{' ? new Set() : null);
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      objects.pop();
    } else if (c === ',') {
      expectKey = objects.at(-1) instanceof Set;
    }
  }
  return undefined;
}

/** A form body's fields; a field named twice (case-insensitively) or a NUL is refused. */
function parseForm(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (name.includes(NUL) || value.includes(NUL))
      throw malformed('A field contains a NUL character.');
    const folded = asciiLower(name);
    if (seen.has(folded)) throw malformed(`The field '${name.slice(0, 64)}' is given twice.`);
    seen.add(folded);
    fields[name] = value;
  }
  return fields;
}

/** Parses the bytes of a body; what cannot be JSON under a lenient type stays a string. */
export function parseBody(text: string, contentType: string | undefined): unknown {
  const kind = kindOf(contentType);
  if (kind === 'unsupported') throw new DomainError(ErrorCode.UnsupportedMediaType);
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    if (kind === 'json') throw malformed('The JSON value could not be parsed.');
    // A real HTML form (`Login=a&Password=b`), as PowerShell sends a hashtable -Body.
    if (text.includes('=') && /^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(text.trim())) {
      return parseForm(text.trim());
    }
    if (text.includes(NUL)) throw malformed('The body contains a NUL character.');
    return text;
  }
  const problem = jsonShapeProblem(text);
  if (problem !== undefined) throw malformed(problem);
  // A bare number is taken as a number only when written as plain digits: " 123456",
  // "123456\n" or "1.23456e5" stay text, so a padded code never passes for the canonical one.
  if (typeof value === 'number' && !/^[0-9]+$/.test(text)) return text;
  return value;
}

/**
 * A body that could not be read (not JSON, not UTF-8, a media type other than JSON). Kept as the
 * request's body and refused only where a handler takes its body, after the guards: as ASP.NET
 * Core does, a missing or bad token is a 401 and a missing permission a 403 whatever the body.
 */
export class UnreadableBody {
  constructor(readonly error: DomainError) {}
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^\\s*${TOKEN}/${TOKEN}\\s*(;.*)?$`);
/** What a Content-Type that is no media type becomes: a type the parser refuses, but later. */
const UNREADABLE_TYPE = 'application/x-unreadable';

/**
 * Fastify refuses a Content-Type that is no media type (`json`, a blank one) with a 415 before
 * any guard. Blank is taken as absent, anything else as a type this service does not read, so
 * that refusal too comes after the token and permission checks, and only where a body is read.
 */
export function contentTypeHook(
  req: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  const contentType = req.headers['content-type'];
  if (contentType !== undefined) {
    if (contentType.trim() === '') delete req.headers['content-type'];
    else if (!MEDIA_TYPE.test(contentType)) req.headers['content-type'] = UNREADABLE_TYPE;
  }
  done();
}

/**
 * How much of an oversized body is read (and thrown away) before the 413 is sent. The answer
 * closes the connection; closed with the rest of the body unread, the kernel resets it, and a
 * client still sending (Node's fetch and http, which do not wait for 100-continue) gets EPIPE
 * instead of the 413 (RFC 9112 section 9.6). A larger body is refused at once.
 */
export const MAX_DISCARDED_BYTES = 8 * 1024 * 1024;

type BodyDone = (error: Error | null, body?: unknown) => void;

/**
 * The one body parser, for every content type and route: at most 64 KiB (413 past that, decided
 * on the declared length and on the bytes as they arrive, before anything else; the rest of the
 * body is read and discarded up to MAX_DISCARDED_BYTES so that the client reads the answer),
 * decoded as UTF-8, parsed as above.
 */
export function registerBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (req: FastifyRequest, payload: Readable, done: BodyDone) => {
    const tooLarge = () => done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
    if (Number(req.headers['content-length']) > MAX_DISCARDED_BYTES) return tooLarge();
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = () => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onError);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= MAX_BODY_BYTES) chunks.push(chunk);
      else chunks.length = 0;
      if (received > MAX_DISCARDED_BYTES) {
        stop();
        tooLarge();
      }
    };
    const onEnd = () => {
      stop();
      if (received > MAX_BODY_BYTES) return tooLarge();
      const body = Buffer.concat(chunks);
      done(null, body.length === 0 ? undefined : readBody(body, headerOf(req, 'content-type')));
    };
    // A client that goes away mid-body (or a 408): a client error, as Fastify's own parser
    // answers it, not a fault of the service.
    const onError = (error: Error & { statusCode?: number }) => {
      stop();
      if (!(typeof error.statusCode === 'number' && error.statusCode >= 400))
        error.statusCode = 400;
      done(error);
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onError);
  });
}

function readBody(body: Buffer, contentType: string | undefined): unknown {
  try {
    return parseBody(decode(body, contentType), contentType);
  } catch (error) {
    if (error instanceof DomainError) return new UnreadableBody(error);
    throw error;
  }
}

/**
 * The body's text: in its declared charset, else UTF-8. Without a charset, a form or text body
 * that is not UTF-8 is read as ISO-8859-1, the encoding Windows PowerShell 5.1 (and PowerShell
 * before 7.4) sends a string `-Body` in (so a password with an umlaut still signs in); JSON is
 * UTF-8 (RFC 8259 section 8.1).
 */
function decode(body: Buffer, contentType: string | undefined): string {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8', { fatal: true });
  } catch {
    throw new DomainError(
      ErrorCode.UnsupportedMediaType,
      `The charset '${charset?.slice(0, 40)}' is not supported.`,
    );
  }
  try {
    return decoder.decode(body);
  } catch {
    if (charset === undefined && kindOf(contentType) === 'lenient')
      return new TextDecoder('latin1').decode(body);
    throw malformed(`The request body is not valid ${decoder.encoding}.`);
  }
}
