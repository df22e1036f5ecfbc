import type { NextFunction, Request, Response } from 'express';
import { DomainError, ErrorCode } from '../problem/domain-error';

export const MAX_BODY_BYTES = 64 * 1024;

/**
 * Content types read as JSON. PowerShell's `Invoke-RestMethod -Body <string>` without
 * `-ContentType` sends `application/x-www-form-urlencoded`; curl's `--data` does the same.
 */
function kindOf(contentType: string | undefined): 'json' | 'lenient' | 'unsupported' {
  if (contentType === undefined || contentType.trim() === '') return 'lenient';
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType))
    return 'json';
  if (mediaType === 'application/x-www-form-urlencoded' || mediaType === 'text/plain')
    return 'lenient';
  return 'unsupported';
}

function malformed(message: string): DomainError {
  return DomainError.validation({ $: [message] });
}

/** Parses the bytes of a body; what cannot be JSON under a lenient type stays a string. */
export function parseBody(
  text: string,
  contentType: string | undefined,
): { value: unknown; rawText: boolean } {
  const kind = kindOf(contentType);
  if (kind === 'unsupported') throw new DomainError(ErrorCode.UnsupportedMediaType);
  if (text.trim() === '') return { value: undefined, rawText: false };
  try {
    const value = JSON.parse(text) as unknown;
    // A bare number is taken as a number only when written as plain digits: " 123456",
    // "123456\n" or "1.23456e5" stay text, so a padded code never passes for the canonical one.
    if (typeof value === 'number' && !/^[0-9]+$/.test(text)) return { value: text, rawText: true };
    return { value, rawText: false };
  } catch {
    if (kind === 'json') throw malformed('The JSON value could not be parsed.');
  }
  // A real HTML form (`Login=a&Password=b`), as PowerShell sends a hashtable -Body.
  if (text.includes('=') && /^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(text.trim())) {
    return { value: Object.fromEntries(new URLSearchParams(text.trim())), rawText: false };
  }
  return { value: text, rawText: true };
}

/**
 * Reads the request body once, for every route: at most 64 KiB (413 past that, checked on the
 * declared length first and on the bytes as they arrive), decoded as UTF-8, parsed as above.
 */
export function bodyReaderMiddleware(req: Request, _res: Response, next: NextFunction): void {
  const declared = req.headers['content-length'];
  const hasBody =
    declared !== undefined ? declared !== '0' : req.headers['transfer-encoding'] !== undefined;
  if (!hasBody) {
    req.body = undefined;
    next();
    return;
  }
  if (declared !== undefined && Number(declared) > MAX_BODY_BYTES) {
    req.resume();
    next(new DomainError(ErrorCode.PayloadTooLarge));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  req.on('data', (chunk: Buffer) => {
    if (failed) return;
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      failed = true;
      next(new DomainError(ErrorCode.PayloadTooLarge));
      return;
    }
    chunks.push(chunk);
  });
  req.on('end', () => {
    if (failed) return;
    try {
      const text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
      const parsed = parseBody(text, req.get('content-type'));
      req.body = parsed.value;
      req.rawTextBody = parsed.rawText;
      next();
    } catch (error) {
      next(
        error instanceof DomainError ? error : malformed('The request body is not valid UTF-8.'),
      );
    }
  });
  req.on('error', (error) => {
    if (!failed) {
      failed = true;
      next(error);
    }
  });
}
