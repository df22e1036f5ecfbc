import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * The request body as the body reader left it, unreadable bodies included (an `UnreadableBody`):
 * for handlers that must count a malformed input as a failed attempt before refusing it.
 */
export const BodyAsSent = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): unknown =>
    ctx.switchToHttp().getRequest<FastifyRequest>().body,
);
