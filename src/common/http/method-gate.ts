import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { DomainError } from '../problem/domain-error';
import { pathOf } from './request-context';
import { RouteCatalog } from './route-catalog';

/**
 * Answers 405 for a method a served path does not take, before the body is read and before the
 * router's match of the path for a parameter of another route counts (GET
 * /api/v1/ManagedAccount/ResetMFA is not a request for the account with the id "ResetMFA").
 */
export function methodGate(routes: RouteCatalog) {
  return (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const allowed = routes.allowedInsteadOf(req.method, pathOf(req));
    done(allowed ? DomainError.methodNotAllowed(allowed) : undefined);
  };
}
