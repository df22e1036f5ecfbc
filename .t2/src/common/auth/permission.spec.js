"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const permission_1 = require("./permission");
(0, node_test_1.describe)('permissionsLacking', () => {
    const helpDeskPermissions = [permission_1.Permission.EditOtherUserTotp, permission_1.Permission.ViewAccounts];
    const helpDesk = new Set(helpDeskPermissions);
    (0, node_test_1.it)('answers nothing when every wanted permission is held', () => {
        strict_1.default.deepEqual((0, permission_1.permissionsLacking)(helpDesk, helpDeskPermissions), []);
        strict_1.default.deepEqual((0, permission_1.permissionsLacking)(helpDesk, []), []);
        strict_1.default.deepEqual((0, permission_1.permissionsLacking)(new Set(permission_1.ALL_PERMISSIONS), permission_1.ALL_PERMISSIONS), []);
    });
    (0, node_test_1.it)('answers each missing permission once, sorted', () => {
        const wanted = [...permission_1.ALL_PERMISSIONS, ...permission_1.ALL_PERMISSIONS];
        strict_1.default.deepEqual((0, permission_1.permissionsLacking)(helpDesk, wanted), [
            permission_1.Permission.ManageAccounts,
            permission_1.Permission.ManageRoles,
            permission_1.Permission.ViewAudit,
        ]);
    });
    (0, node_test_1.it)('ignores names that are no permission: they grant nothing', () => {
        strict_1.default.deepEqual((0, permission_1.permissionsLacking)(new Set(), ['', 'no-such-permission']), []);
    });
});
//# sourceMappingURL=permission.spec.js.map