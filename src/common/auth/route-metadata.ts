import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

const cache = new WeakMap<object, Map<string | symbol, unknown>>();

/**
 * A route's metadata (handler first, then its controller), read once per route and key: the
 * decorators are fixed once the app is built, and every guard asks on every request.
 */
export function routeMetadata<T>(
  reflector: Reflector,
  key: string | symbol,
  context: ExecutionContext,
): T | undefined {
  const handler = context.getHandler();
  let entries = cache.get(handler);
  if (entries === undefined) {
    entries = new Map();
    cache.set(handler, entries);
  }
  if (entries.has(key)) return entries.get(key) as T | undefined;
  const value = reflector.getAllAndOverride<T | undefined>(key, [handler, context.getClass()]);
  entries.set(key, value);
  return value;
}
