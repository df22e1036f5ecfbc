import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_PERMISSIONS, BUILT_IN_ROLES, Permission, permissionsLacking } from './permission';

describe('permissionsLacking', () => {
  const helpDesk = new Set<Permission>(BUILT_IN_ROLES.HelpDesk);

  it('answers nothing when every wanted permission is held', () => {
    assert.deepEqual(permissionsLacking(helpDesk, BUILT_IN_ROLES.HelpDesk), []);
    assert.deepEqual(permissionsLacking(helpDesk, []), []);
    assert.deepEqual(permissionsLacking(new Set(ALL_PERMISSIONS), ALL_PERMISSIONS), []);
  });

  it('answers each missing permission once, sorted', () => {
    const wanted = [...BUILT_IN_ROLES.Admin, ...BUILT_IN_ROLES.Admin];
    assert.deepEqual(permissionsLacking(helpDesk, wanted), [
      Permission.ManageAccounts,
      Permission.ManageRoles,
      Permission.ViewAudit,
    ]);
  });

  it('ignores names that are no permission: they grant nothing', () => {
    assert.deepEqual(permissionsLacking(new Set(), ['', 'no-such-permission']), []);
  });
});
