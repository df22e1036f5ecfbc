import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { randomHex } from '../random';
import { headerOf } from './request-context';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The trace id as ASP.NET Core's Activity.Id writes it (`00-<trace>-<span>-<flags>`); a valid
 * incoming W3C `traceparent` is continued: same trace id, a new span of ours.
 */
export function traceIdFor(traceparent: string | undefined): string {
  const span = randomHex(8);
  const match =
    traceparent === undefined ? null : TRACEPARENT.exec(traceparent.trim().toLowerCase());
  if (match && match[1] !== 'ff' && !/^0+$/.test(match[2]) && !/^0+$/.test(match[3])) {
    return `00-${match[2]}-${span}-${match[4]}`;
  }
  return `00-${randomHex(16)}-${span}-00`;
}

export function traceIdHook(
  req: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  req.traceId = traceIdFor(headerOf(req, 'traceparent'));
  done();
}
