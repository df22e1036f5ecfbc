import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

let draining = false;

/** From SIGTERM on, every answer closes its connection, so keep-alive clients cannot hold the exit. */
export function startDraining(): void {
  draining = true;
}

export function drainingHook(
  _req: FastifyRequest,
  reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  if (draining) reply.header('Connection', 'close');
  done();
}
