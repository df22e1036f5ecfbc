import type { NextFunction, Request, Response } from 'express';

let draining = false;

/** From SIGTERM on, every answer closes its connection, so keep-alive clients cannot hold the exit. */
export function startDraining(): void {
  draining = true;
}

export function drainingMiddleware(_req: Request, res: Response, next: NextFunction): void {
  if (draining) res.setHeader('Connection', 'close');
  next();
}
