import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_PERMISSIONS, Permission, permissionsLacking } from './permission';

describe('permissionsLacking', () => {
  const helpDeskPermissions = [Permission.EditOtherUserTotp, Permission.ViewAccounts];
  const helpDesk = new Set<Permission>(helpDeskPermissions);

  it('answers nothing when every wanted permission is held', () => {
    assert.deepEqual(permissionsLacking(helpDesk, helpDeskPermissions), []);
    assert.deepEqual(permissionsLacking(helpDesk, []), []);
    assert.deepEqual(permissionsLacking(new Set(ALL_PERMISSIONS), ALL_PERMISSIONS), []);
  });

  it('answers each missing permission once, sorted', () => {
    const wanted = [...ALL_PERMISSIONS, ...ALL_PERMISSIONS];
    assert.deepEqual(permissionsLacking(helpDesk, wanted), [
      Permission.ManageAccounts,
      Permission.ManageApiKeys,
      Permission.ManageRoles,
      Permission.ViewApiKeys,
      Permission.ViewAudit,
    ]);
  });

  it('ignores names that are no permission: they grant nothing', () => {
    assert.deepEqual(permissionsLacking(new Set(), ['', 'no-such-permission']), []);
  });
});
