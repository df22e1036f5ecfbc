"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.RouteCatalog = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
/** Paths served outside Nest's controllers (the OpenAPI document and Swagger UI). */
const EXTRA_ROUTES = [
    ['GET', '/swagger'],
    ['GET', '/swagger/v1/swagger.json'],
];
function join(...parts) {
    const path = parts
        .flatMap((p) => p.split('/'))
        .filter((p) => p !== '')
        .join('/');
    return `/${path}`;
}
/** The key of a path among the literal routes: the router matches case-insensitively, slash or not. */
function literalKey(path) {
    return path.length > 1 && path.endsWith('/')
        ? path.slice(0, -1).toLowerCase()
        : path.toLowerCase();
}
function patternOf(path) {
    const source = path
        .split('/')
        .map((segment) => segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('/');
    return new RegExp(`^${source}/?$`, 'i');
}
/** Every route the app serves, read from the controllers' metadata once at start. */
let RouteCatalog = class RouteCatalog {
    discovery;
    scanner;
    reflector;
    entries = [];
    /** Paths without parameters, with the methods served there. */
    literals = new Map();
    constructor(discovery, scanner, reflector) {
        this.discovery = discovery;
        this.scanner = scanner;
        this.reflector = reflector;
    }
    onApplicationBootstrap() {
        const entries = [];
        for (const wrapper of this.discovery.getControllers()) {
            const instance = wrapper.instance;
            const metatype = wrapper.metatype;
            if (!instance || !metatype)
                continue;
            const prefixes = [
                this.reflector.get('path', metatype) ?? '',
            ].flat();
            const prototype = Object.getPrototypeOf(instance);
            for (const name of this.scanner.getAllMethodNames(prototype)) {
                const handler = prototype[name];
                if (typeof handler !== 'function')
                    continue;
                const paths = this.reflector.get('path', handler);
                const method = this.reflector.get('method', handler);
                if (paths === undefined || method === undefined)
                    continue;
                for (const prefix of prefixes) {
                    for (const path of [paths].flat()) {
                        const full = join(prefix, path);
                        entries.push({
                            method: common_1.RequestMethod[method],
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
            ...entries.map((e) => [e.method, e.path]),
            ...EXTRA_ROUTES,
        ].filter(([, path]) => !path.includes(':'));
        for (const [method, path] of literalRoutes) {
            const key = literalKey(path);
            const literal = this.literals.get(key) ?? { template: path, methods: [] };
            literal.methods.push(method);
            this.literals.set(key, literal);
        }
    }
    all() {
        return this.entries;
    }
    /**
     * The methods served at this path: non-empty means 405, not 404. A path that a route without
     * parameters names exactly belongs to that route alone: `/api/v1/ManagedAccount/ResetMFA`
     * allows PUT only, although `GET /api/v1/ManagedAccount/{id}` would match it as an id (that
     * route's ids are uuids; see the test that lists every such overlap).
     */
    allowedMethods(path) {
        const literal = this.literals.get(literalKey(path));
        const methods = new Set(literal?.methods);
        if (!literal) {
            for (const entry of this.entries)
                if (entry.pattern.test(path))
                    methods.add(entry.method);
        }
        if (methods.has('GET'))
            methods.add('HEAD');
        return [...methods].sort();
    }
    /**
     * When a path is served, but not with this method: the methods it allows (a 405, answered
     * before the body is read). Undefined when the router goes on: to a route, or to a 404.
     */
    refused(method, path) {
        const serves = (m) => m === method || (method === 'HEAD' && m === 'GET');
        const literal = this.literals.get(literalKey(path));
        if (literal)
            return literal.methods.some(serves) ? undefined : this.allowedMethods(path);
        let matched = false;
        for (const entry of this.entries) {
            if (!entry.pattern.test(path))
                continue;
            if (serves(entry.method))
                return undefined;
            matched = true;
        }
        return matched ? this.allowedMethods(path) : undefined;
    }
    /** The template of the route serving a path (literal routes first), for logs and metrics. */
    templateOf(path) {
        const literal = this.literals.get(literalKey(path));
        if (literal)
            return literal.template;
        return this.entries.find((entry) => entry.pattern.test(path))?.path;
    }
};
exports.RouteCatalog = RouteCatalog;
exports.RouteCatalog = RouteCatalog = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [core_1.DiscoveryService,
        core_1.MetadataScanner,
        core_1.Reflector])
], RouteCatalog);
//# sourceMappingURL=route-catalog.js.map