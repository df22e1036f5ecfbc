import { Injectable, OnApplicationBootstrap, RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';

export interface RouteEntry {
  readonly method: string;
  readonly path: string;
  readonly controller: string;
  readonly handlerName: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly handler: Function;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly controllerClass: Function;
  readonly pattern: RegExp;
}

/** Paths served outside Nest's controllers (the OpenAPI document and Swagger UI). */
const EXTRA_ROUTES: ReadonlyArray<readonly [string, string]> = [
  ['GET', '/swagger'],
  ['GET', '/swagger/v1/swagger.json'],
];

function join(...parts: string[]): string {
  const path = parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p !== '')
    .join('/');
  return `/${path}`;
}

function patternOf(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) =>
      segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}/?$`, 'i');
}

/** Every route the app serves, read from the controllers' metadata once at start. */
@Injectable()
export class RouteCatalog implements OnApplicationBootstrap {
  private entries: RouteEntry[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const entries: RouteEntry[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      const metatype = wrapper.metatype as (new (...args: never[]) => unknown) | undefined | null;
      if (!instance || !metatype) continue;
      const prefixes = [
        this.reflector.get<string | string[] | undefined>('path', metatype) ?? '',
      ].flat();
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name];
        if (typeof handler !== 'function') continue;
        const paths = this.reflector.get<string | string[] | undefined>('path', handler);
        const method = this.reflector.get<RequestMethod | undefined>('method', handler);
        if (paths === undefined || method === undefined) continue;
        for (const prefix of prefixes) {
          for (const path of [paths].flat()) {
            const full = join(prefix, path);
            entries.push({
              method: RequestMethod[method],
              path: full,
              controller: metatype.name,
              handlerName: name,
              handler,
              controllerClass: metatype,
              pattern: patternOf(full),
            });
          }
        }
      }
    }
    this.entries = entries;
  }

  all(): readonly RouteEntry[] {
    return this.entries;
  }

  /** The methods other routes serve at this path: non-empty means 405, not 404. */
  allowedMethods(path: string): string[] {
    const methods = new Set<string>();
    for (const entry of this.entries) if (entry.pattern.test(path)) methods.add(entry.method);
    for (const [method, extra] of EXTRA_ROUTES)
      if (patternOf(extra).test(path)) methods.add(method);
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }
}
