"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createApp = createApp;
const core_1 = require("@nestjs/core");
const platform_fastify_1 = require("@nestjs/platform-fastify");
const swagger_1 = require("@nestjs/swagger");
const app_module_1 = require("./app.module");
const clock_1 = require("./common/clock");
const body_reader_1 = require("./common/http/body-reader");
const draining_1 = require("./common/http/draining");
const method_gate_1 = require("./common/http/method-gate");
const route_catalog_1 = require("./common/http/route-catalog");
const security_headers_1 = require("./common/http/security-headers");
const trace_id_1 = require("./common/http/trace-id");
const logger_1 = require("./common/logging/logger");
const request_logging_1 = require("./common/logging/request-logging");
const domain_error_1 = require("./common/problem/domain-error");
const problem_details_1 = require("./common/problem/problem-details");
const problem_details_filter_1 = require("./common/problem/problem-details.filter");
function setUpOpenApi(app) {
    const document = swagger_1.SwaggerModule.createDocument(app, new swagger_1.DocumentBuilder()
        .setTitle('MFA administration service')
        .setDescription('Password + TOTP sign-in, authenticator enrolment, and administrative MFA reset. Errors are RFC 9457 problem details.')
        .setVersion('v1')
        .addServer('/')
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
        .build(), {
        operationIdFactory: (controllerKey, methodKey) => `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
    });
    swagger_1.SwaggerModule.setup('swagger', app, document, {
        jsonDocumentUrl: 'swagger/v1/swagger.json',
        yamlDocumentUrl: 'swagger/v1/swagger.yaml',
        customSiteTitle: 'MFA administration service',
    });
}
/**
 * A request head over 16 KiB (Node's limit), one that did not arrive in time or an unparsable
 * one, answered as problem details.
 */
function clientErrorHandler(logger) {
    return (error, socket) => {
        if (!socket.writable || error.code === 'ECONNRESET') {
            socket.destroy();
            return;
        }
        const traceId = (0, trace_id_1.traceIdFor)(undefined);
        const domain = error.code === 'HPE_HEADER_OVERFLOW'
            ? new domain_error_1.DomainError(domain_error_1.ErrorCode.HeadersTooLarge)
            : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
                ? new domain_error_1.DomainError(domain_error_1.ErrorCode.RequestTimeout)
                : domain_error_1.DomainError.validation({ $: ['The request could not be parsed.'] });
        const problem = (0, problem_details_1.problemFor)(domain, '/', traceId);
        const body = JSON.stringify(problem.body);
        logger.warn({ traceId, status: problem.status, reason: error.code }, 'request refused before routing');
        socket.end(`HTTP/1.1 ${problem.status} ${problem.body.title}\r\nContent-Type: ${problem_details_1.PROBLEM_CONTENT_TYPE}\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n` +
            `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`);
    };
}
/** Builds the app exactly as production runs it; tests call this too. */
async function createApp(config, logger, clock = new clock_1.Clock()) {
    const metrics = (0, request_logging_1.createHttpMetrics)();
    // Set once the app exists: what Fastify refuses before routing (a path that cannot be decoded).
    let refuseBeforeRouting = (_req, reply) => {
        void reply.code(400).send();
    };
    const adapter = new platform_fastify_1.FastifyAdapter({
        trustProxy: config.trustProxy,
        bodyLimit: body_reader_1.MAX_BODY_BYTES,
        // Paths match as ASP.NET Core matches them: case-insensitively, with or without a final slash;
        // a parameter as long as the request head allows, so a long malformed id is a 400, not a 404.
        routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 16_384 },
        // A request must arrive in time (slow-loris clients), checked every second or two.
        requestTimeout: config.requestTimeoutMs,
        http: {
            headersTimeout: Math.min(20_000, config.requestTimeoutMs),
            connectionsCheckingInterval: Math.min(2000, config.requestTimeoutMs),
        },
        clientErrorHandler: clientErrorHandler(logger),
        frameworkErrors: (_error, req, reply) => refuseBeforeRouting(req, reply),
        requestIdHeader: false,
        // No Express-style middleware is used: every step below is a Fastify hook.
        skipMiddie: true,
    });
    const app = await core_1.NestFactory.create(app_module_1.AppModule.forRoot(config, logger, metrics, clock), adapter, {
        bodyParser: false,
        logger: new logger_1.NestPinoLogger(logger),
        abortOnError: false,
    });
    const fastify = app.getHttpAdapter().getInstance();
    fastify.decorateRequest('traceId', '');
    fastify.decorateRequest('user', undefined);
    (0, body_reader_1.registerBodyParser)(fastify);
    // No cache keeps a token, a TOTP secret, recovery codes or account data (RFC 6749 5.1, RFC 9111).
    const apiHeaders = (0, security_headers_1.securityHeaders)(undefined, { 'Cache-Control': 'no-store' });
    const docsHeaders = (0, security_headers_1.securityHeaders)({ contentSecurityPolicy: false });
    const routes = app.get(route_catalog_1.RouteCatalog);
    const filter = app.get(problem_details_filter_1.ProblemDetailsFilter);
    const logRequest = (0, request_logging_1.requestLoggingHook)(logger, metrics, (path) => routes.templateOf(path));
    const headersHook = (req, reply, done) => {
        reply.headers(req.url.startsWith('/swagger') ? docsHeaders : apiHeaders);
        done();
    };
    refuseBeforeRouting = (req, reply) => {
        // No hook runs for a request refused before routing: the ones that apply run here, and
        // Fastify's own answer (naming the path and its internals, with no trace id) is replaced.
        const next = () => undefined;
        for (const hook of [draining_1.drainingHook, trace_id_1.traceIdHook, headersHook])
            hook(req, reply, next);
        reply.raw.once('finish', () => logRequest(req, reply, next));
        void filter.write(req, reply, domain_error_1.DomainError.validation({ $: ['The request path is not valid.'] }));
    };
    fastify.addHook('onRequest', draining_1.drainingHook);
    fastify.addHook('onRequest', trace_id_1.traceIdHook);
    fastify.addHook('onRequest', headersHook);
    // Before the body is read: a wrong method is a 405 whatever the body.
    fastify.addHook('onRequest', (0, method_gate_1.methodGate)(routes));
    fastify.addHook('onRequest', body_reader_1.contentTypeHook);
    fastify.addHook('onResponse', logRequest);
    setUpOpenApi(app);
    await app.init();
    await fastify.ready();
    return app;
}
//# sourceMappingURL=app.setup.js.map