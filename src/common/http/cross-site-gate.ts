import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { DomainError, ErrorCode } from '../problem/domain-error';

/** host[:port] in lower case, without the default ports. */
function hostKey(host: string): string {
  return host.toLowerCase().replace(/:(80|443)$/, '');
}

/** Whether `origin` (an Origin header) names the host this request was sent to. */
function sameHost(origin: string, host: string): boolean {
  try {
    return hostKey(new URL(origin).host) === hostKey(host);
  } catch {
    return false; // "null" (a sandboxed frame, a data: page) or anything else that is no URL
  }
}

/**
 * Refuses (403) a request that a browser says a page of another site made, before its body is
 * read. No such request is legitimate: the API answers no CORS, so another site's page can never
 * read an answer, and all it could do is send calls blind from the visitor's browser (sign-in
 * attempts that use up the address's limit and fill the audit log, say). Scripts and other
 * non-browser clients send neither header and are not affected; the console's own calls are
 * same-origin.
 *
 * - With Fetch Metadata (`Sec-Fetch-Site`, sent over HTTPS and to localhost): `cross-site` and
 *   `same-site` are refused, unless the request follows a link (a GET or HEAD navigation).
 * - Without it (plain HTTP to a host name, older browsers): an `Origin` that is not this host
 *   (after TRUST_PROXY, X-Forwarded-Host) is refused. Browsers send `Origin` on every POST, PUT,
 *   PATCH and DELETE and on cross-origin fetches, never on a GET navigation.
 */
export function crossSiteGate(
  req: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  const site = req.headers['sec-fetch-site'];
  let foreign: boolean;
  if (site !== undefined) {
    const followsLink =
      (req.method === 'GET' || req.method === 'HEAD') &&
      req.headers['sec-fetch-mode'] === 'navigate';
    foreign = (site === 'cross-site' || site === 'same-site') && !followsLink;
  } else {
    const origin = req.headers.origin;
    foreign = origin !== undefined && !sameHost(origin, req.host);
  }
  done(foreign ? new DomainError(ErrorCode.CrossSiteRequest) : undefined);
}
