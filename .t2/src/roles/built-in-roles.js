"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BUILT_IN_ROLES = void 0;
const permission_1 = require("../common/auth/permission");
/** The roles every database starts with; Admin always grants every permission. */
exports.BUILT_IN_ROLES = {
    Admin: permission_1.ALL_PERMISSIONS,
    HelpDesk: [permission_1.Permission.EditOtherUserTotp, permission_1.Permission.ViewAccounts],
    User: [],
};
//# sourceMappingURL=built-in-roles.js.map