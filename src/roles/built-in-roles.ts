import { ALL_PERMISSIONS, Permission } from '../common/auth/permission';

/** The roles every database starts with; Admin always grants every permission. */
export const BUILT_IN_ROLES = {
  Admin: ALL_PERMISSIONS,
  HelpDesk: [Permission.EditOtherUserTotp, Permission.ViewAccounts],
  User: [],
} as const satisfies Record<string, readonly Permission[]>;

export type BuiltInRoleName = keyof typeof BUILT_IN_ROLES;
