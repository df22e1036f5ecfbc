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

/** The key of a path among the literal routes: the router matches case-insensitively, slash or not. */
function literalKey(path: string): string {
  return path.length > 1 && path.endsWith('/')
    ? path.slice(0, -1).toLowerCase()
    : path.toLowerCase();
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
  /** Paths without parameters, with the methods served there. */
  private literals = new Map<string, { readonly template: string; readonly methods: string[] }>();

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
    this.literals.clear();
    const literalRoutes = [
      ...entries.map((e) => [e.method, e.path] as const),
      ...EXTRA_ROUTES,
    ].filter(([, path]) => !path.includes(':'));
    for (const [method, path] of literalRoutes) {
      const key = literalKey(path);
      const literal = this.literals.get(key) ?? { template: path, methods: [] };
      literal.methods.push(method);
      this.literals.set(key, literal);
    }
  }

  all(): readonly RouteEntry[] {
    return this.entries;
  }

  /**
   * The methods served at this path: non-empty means 405, not 404. A path that a route without
   * parameters names exactly belongs to that route alone: `/api/v1/ManagedAccount/ResetMFA`
   * allows PUT only, although `GET /api/v1/ManagedAccount/{id}` would match it as an id (that
   * route's ids are uuids; see the test that lists every such overlap).
   */
  allowedMethods(path: string): string[] {
    const literal = this.literals.get(literalKey(path));
    const methods = new Set<string>(literal?.methods);
    if (!literal) {
      for (const entry of this.entries) if (entry.pattern.test(path)) methods.add(entry.method);
    }
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }

  /**
   * When a path is served, but not with this method: the methods it allows instead (a 405,
   * answered before the body is read). Undefined when the router goes on: to a route, or a 404.
   */
  allowedInsteadOf(method: string, path: string): string[] | undefined {
    const serves = (m: string) => m === method || (method === 'HEAD' && m === 'GET');
    const literal = this.literals.get(literalKey(path));
    if (literal) return literal.methods.some(serves) ? undefined : this.allowedMethods(path);
    let matched = false;
    for (const entry of this.entries) {
      if (!entry.pattern.test(path)) continue;
      if (serves(entry.method)) return undefined;
      matched = true;
    }
    return matched ? this.allowedMethods(path) : undefined;
  }

  /** The template of the route serving a path (literal routes first), for logs and metrics. */
  templateOf(path: string): string | undefined {
    const literal = this.literals.get(literalKey(path));
    if (literal) return literal.template;
    return this.entries.find((entry) => entry.pattern.test(path))?.path;
  }
}
