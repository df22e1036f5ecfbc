"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.toAccountResponse = toAccountResponse;
function toAccountResponse(account, now = new Date()) {
    return {
        id: account.id,
        userName: account.userName,
        displayName: account.displayName,
        email: account.email,
        roles: (account.roles ?? []).map((r) => r.name).sort(),
        isActive: account.isActive,
        mfaEnabled: account.mfaEnrolledAt !== null,
        mfaEnrolledAt: account.mfaEnrolledAt?.toISOString() ?? null,
        lockedUntil: account.lockedUntil !== null && account.lockedUntil > now
            ? account.lockedUntil.toISOString()
            : null,
        createdAt: account.createdAt.toISOString(),
    };
}
//# sourceMappingURL=account-response.js.map