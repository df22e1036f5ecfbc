import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../problem/domain-error';
import { RouteCatalog } from './route-catalog';

/**
 * Answers 405 for a method a served path does not take, before the body is read and before
 * Express's router could take the path for a parameter of another route (GET
 * /api/v1/ManagedAccount/ResetMFA is not a request for the account with the id "ResetMFA").
 */
export function methodGate(routes: RouteCatalog) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const allowed = routes.refused(req.method, req.path);
    next(allowed ? DomainError.methodNotAllowed(allowed) : undefined);
  };
}
