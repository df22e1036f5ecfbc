"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.partyOf = partyOf;
exports.principalOf = principalOf;
/** The signed-in caller as the audit log names it. */
function partyOf(principal) {
    return { id: principal.accountId, name: principal.userName };
}
function principalOf(req) {
    const user = req.user;
    if (user === undefined)
        throw new Error('principalOf() on a route without authentication');
    return user;
}
//# sourceMappingURL=principal.js.map