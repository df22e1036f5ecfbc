"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ALL_PERMISSIONS = exports.Permission = void 0;
exports.isPermission = isPermission;
exports.permissionsLacking = permissionsLacking;
/** Named permissions, in the style of Rocket.Chat: a role grants some, a route demands one. */
var Permission;
(function (Permission) {
    Permission["EditOtherUserTotp"] = "edit-other-user-totp";
    Permission["ViewAccounts"] = "view-accounts";
    Permission["ManageAccounts"] = "manage-accounts";
    Permission["ManageRoles"] = "manage-roles";
    Permission["ViewAudit"] = "view-audit";
})(Permission || (exports.Permission = Permission = {}));
exports.ALL_PERMISSIONS = Object.values(Permission);
function isPermission(value) {
    return exports.ALL_PERMISSIONS.includes(value);
}
/**
 * The permissions among `wanted` that `held` lacks, each once, sorted (a name that is no
 * permission grants nothing). Nobody acts above their own permissions: an account holding one of
 * these, or a role granting one, is out of the caller's reach.
 */
function permissionsLacking(held, wanted) {
    const lacking = new Set();
    for (const name of wanted)
        if (isPermission(name) && !held.has(name))
            lacking.add(name);
    return [...lacking].sort();
}
//# sourceMappingURL=permission.js.map