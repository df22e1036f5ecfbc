"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.headerOf = headerOf;
exports.pathOf = pathOf;
exports.requestContext = requestContext;
/** One request header as a string (the first, if the client repeated it). */
function headerOf(req, name) {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
}
/** The path of a request, without its query. */
function pathOf(req) {
    const query = req.url.indexOf('?');
    return query === -1 ? req.url : req.url.slice(0, query);
}
function requestContext(req) {
    const userAgent = headerOf(req, 'user-agent');
    return {
        traceId: req.traceId,
        clientIp: req.ip ?? null,
        userAgent: userAgent === undefined ? null : userAgent.slice(0, 512),
    };
}
//# sourceMappingURL=request-context.js.map