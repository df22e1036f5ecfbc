import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { DomainError, ErrorCode } from '../problem/domain-error';

/**
 * Refuses (403) a request that a browser says a page of another site made (Fetch Metadata,
 * `Sec-Fetch-Site: cross-site` or `same-site`), unless it is following a link (a GET or HEAD
 * navigation). No such request is legitimate: the API answers no CORS, so another site's page
 * can never read an answer, and all it could do is send calls blind with the browser's address
 * (sign-in attempts that use up the address's limit and fill the audit log, say). Scripts and
 * other non-browser clients send no such header and are not affected; the console's own calls
 * are `same-origin`.
 */
export function crossSiteGate(
  req: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  const site = req.headers['sec-fetch-site'];
  const foreign = site === 'cross-site' || site === 'same-site';
  const followsLink =
    (req.method === 'GET' || req.method === 'HEAD') && req.headers['sec-fetch-mode'] === 'navigate';
  done(foreign && !followsLink ? new DomainError(ErrorCode.CrossSiteRequest) : undefined);
}
