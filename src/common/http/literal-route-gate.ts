import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../problem/domain-error';
import { RouteCatalog } from './route-catalog';

/**
 * Answers 405 for a wrong method on a path that a route without parameters names exactly, before
 * Express's router could take the path for a parameter of another route (GET
 * /api/v1/ManagedAccount/ResetMFA is not a request for the account with the id "ResetMFA").
 */
export function literalRouteGate(routes: RouteCatalog) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const allowed = routes.refusedAtLiteral(req.method, req.path);
    next(allowed ? DomainError.methodNotAllowed(allowed) : undefined);
  };
}
