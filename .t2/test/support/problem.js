"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.VALIDATION_TITLE = exports.TRACE_ID = void 0;
exports.assertProblem = assertProblem;
exports.assertValidationProblem = assertValidationProblem;
exports.waitFor = waitFor;
const strict_1 = __importDefault(require("node:assert/strict"));
/** ASP.NET Core's Activity.Id shape: version, 32-hex trace id, 16-hex span id, flags. */
exports.TRACE_ID = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
exports.VALIDATION_TITLE = 'One or more validation errors occurred.';
/**
 * Asserts an RFC 9457 answer as the contract shapes it: the status, the problem+json type, a
 * Content-Length that matches the body (PowerShell 5.1 needs it), and every standard member.
 */
function assertProblem(res, status, instance) {
    strict_1.default.equal(res.status, status, `status ${res.status}: ${res.text.slice(0, 500)}`);
    const contentType = String(res.headers['content-type'] ?? '');
    strict_1.default.match(contentType, /^application\/problem\+json/, `content-type ${contentType}`);
    const length = res.headers['content-length'];
    strict_1.default.ok(length !== undefined, 'a Content-Length header is present');
    strict_1.default.equal(Number(length), Buffer.byteLength(res.text), 'Content-Length matches the body');
    const body = JSON.parse(res.text);
    strict_1.default.equal(typeof body.type, 'string');
    strict_1.default.ok(body.type.length > 0, 'type is not empty');
    strict_1.default.equal(typeof body.title, 'string');
    strict_1.default.ok(body.title.length > 0, 'title is not empty');
    strict_1.default.equal(body.status, status);
    strict_1.default.equal(typeof body.detail, 'string');
    strict_1.default.ok(body.detail.length > 0, 'detail is not empty');
    strict_1.default.equal(typeof body.instance, 'string');
    if (instance !== undefined)
        strict_1.default.equal(body.instance, instance);
    strict_1.default.match(body.traceId, exports.TRACE_ID);
    return body;
}
/** A 400 ValidationProblemDetails naming the given fields in `errors`. */
function assertValidationProblem(res, instance, ...fields) {
    const body = assertProblem(res, 400, instance);
    strict_1.default.equal(body.title, exports.VALIDATION_TITLE);
    strict_1.default.ok(body.errors !== undefined && typeof body.errors === 'object', 'an errors dictionary');
    for (const [field, messages] of Object.entries(body.errors)) {
        strict_1.default.ok(Array.isArray(messages) && messages.length > 0, `errors.${field} lists messages`);
        for (const m of messages)
            strict_1.default.equal(typeof m, 'string');
    }
    for (const field of fields) {
        strict_1.default.ok(Object.keys(body.errors).includes(field), `errors names ${field}: ${JSON.stringify(body.errors)}`);
    }
    return body;
}
/** Polls until the condition holds (log lines are written when a response finishes). */
async function waitFor(probe, what, timeoutMs = 2000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = probe();
        if (value !== undefined)
            return value;
        if (Date.now() > deadline)
            strict_1.default.fail(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
    }
}
//# sourceMappingURL=problem.js.map