import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { hasUnsafeCharacters, memberOf } from '../common/ascii';
import { UnreadableBody } from '../common/http/body-reader';
import { headerCount, headerOf } from '../common/http/request-context';
import { DomainError, ValidationErrors } from '../common/problem/domain-error';

export const MAX_REASON_LENGTH = 500;
export const MAX_TICKET_LENGTH = 100;

/** Why a reset was done, as the caller said it: kept in its audit event and its history. */
export interface ResetJustification {
  readonly reason?: string;
  readonly ticket?: string;
}

/** What a request says about it, read but not yet checked: body members and headers. */
export interface JustificationInput {
  readonly body: { readonly reason?: unknown; readonly ticket?: unknown };
  readonly headers: { readonly reason?: string; readonly ticket?: string };
  /** A header sent twice: its name. */
  readonly repeated?: string;
}

export const NO_JUSTIFICATION: JustificationInput = { body: {}, headers: {} };

/** A header value as text: a client that sends UTF-8 bytes (curl, PowerShell 7) is read as UTF-8. */
function headerText(req: FastifyRequest, name: string): string | undefined {
  const value = headerOf(req, name);
  if (value === undefined) return undefined;
  const bytes = Buffer.from(value, 'latin1');
  const utf8 = bytes.toString('utf8');
  return Buffer.from(utf8, 'utf8').equals(bytes) ? utf8 : value;
}

/**
 * The reset's reason and ticket as a request carries them: `reason` and `ticket` members of a
 * JSON object body (any case), or the `X-Reset-Reason` and `X-Reset-Ticket` headers.
 */
export function justificationInputOf(
  req: FastifyRequest,
  body: unknown = req.body,
): JustificationInput {
  if (body instanceof UnreadableBody) throw body.error;
  const repeated = ['x-reset-reason', 'x-reset-ticket'].find((h) => headerCount(req, h) > 1);
  return {
    body: { reason: memberOf(body, 'reason'), ticket: memberOf(body, 'ticket') },
    headers: {
      reason: headerText(req, 'x-reset-reason'),
      ticket: headerText(req, 'x-reset-ticket'),
    },
    ...(repeated === undefined ? {} : { repeated }),
  };
}

/** The route's reason and ticket, from its body and headers (checked by the reset service). */
export const ResetJustificationInput = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): JustificationInput =>
    justificationInputOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);

/** A reason says something: at least one letter or digit. */
const SAYS_SOMETHING = /[\p{L}\p{N}]/u;

function checked(
  field: 'reason' | 'ticket',
  fromBody: unknown,
  fromHeader: string | undefined,
  max: number,
  errors: ValidationErrors,
): string | undefined {
  if (fromBody !== undefined && fromBody !== null && typeof fromBody !== 'string') {
    errors[field] = [`${field} must be a string.`];
    return undefined;
  }
  const body = typeof fromBody === 'string' ? fromBody.trim() : undefined;
  const header = fromHeader?.trim();
  if (body !== undefined && header !== undefined && body !== header) {
    errors[field] = [`${field} was given twice (body and header) with different values.`];
    return undefined;
  }
  const value = body ?? header;
  if (value === undefined || value === '') return undefined;
  if (value.length > max) errors[field] = [`${field} must be at most ${max} characters.`];
  else if (hasUnsafeCharacters(value))
    errors[field] = [
      `${field} must not contain control, invisible or direction-changing characters.`,
    ];
  return value;
}

/** The checked reason and ticket; 400 naming the field when one is malformed or (required) missing. */
export function checkJustification(
  input: JustificationInput,
  reasonRequired: boolean,
): ResetJustification {
  const errors: ValidationErrors = {};
  if (input.repeated !== undefined) {
    errors[input.repeated] = ['The header must be sent once.'];
    throw DomainError.validation(errors);
  }
  const reason = checked(
    'reason',
    input.body.reason,
    input.headers.reason,
    MAX_REASON_LENGTH,
    errors,
  );
  const ticket = checked(
    'ticket',
    input.body.ticket,
    input.headers.ticket,
    MAX_TICKET_LENGTH,
    errors,
  );
  if (reason !== undefined && errors.reason === undefined && !SAYS_SOMETHING.test(reason))
    errors.reason = ['reason must contain letters or digits.'];
  if (reasonRequired && reason === undefined && errors.reason === undefined) {
    errors.reason = [
      'A reason is required for every reset (in the body, or the X-Reset-Reason header).',
    ];
  }
  if (Object.keys(errors).length > 0) throw DomainError.validation(errors);
  return {
    ...(reason === undefined ? {} : { reason }),
    ...(ticket === undefined ? {} : { ticket }),
  };
}
