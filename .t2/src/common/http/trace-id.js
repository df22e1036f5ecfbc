"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.traceIdFor = traceIdFor;
exports.traceIdHook = traceIdHook;
const random_1 = require("../random");
const request_context_1 = require("./request-context");
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
/**
 * The trace id as ASP.NET Core's Activity.Id writes it (`00-<trace>-<span>-<flags>`); a valid
 * incoming W3C `traceparent` is continued: same trace id, a new span of ours.
 */
function traceIdFor(traceparent) {
    const span = (0, random_1.randomHex)(8);
    const match = traceparent === undefined ? null : TRACEPARENT.exec(traceparent.trim().toLowerCase());
    if (match && match[1] !== 'ff' && !/^0+$/.test(match[2]) && !/^0+$/.test(match[3])) {
        return `00-${match[2]}-${span}-${match[4]}`;
    }
    return `00-${(0, random_1.randomHex)(16)}-${span}-00`;
}
function traceIdHook(req, _reply, done) {
    req.traceId = traceIdFor((0, request_context_1.headerOf)(req, 'traceparent'));
    done();
}
//# sourceMappingURL=trace-id.js.map