"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.methodGate = methodGate;
const domain_error_1 = require("../problem/domain-error");
const request_context_1 = require("./request-context");
/**
 * Answers 405 for a method a served path does not take, before the body is read and before the
 * router's match of the path for a parameter of another route counts (GET
 * /api/v1/ManagedAccount/ResetMFA is not a request for the account with the id "ResetMFA").
 */
function methodGate(routes) {
    return (req, _reply, done) => {
        const allowed = routes.refused(req.method, (0, request_context_1.pathOf)(req));
        done(allowed ? domain_error_1.DomainError.methodNotAllowed(allowed) : undefined);
    };
}
//# sourceMappingURL=method-gate.js.map