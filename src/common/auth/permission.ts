/** Named permissions, in the style of Rocket.Chat: a role grants some, a route demands one. */
export enum Permission {
  EditOtherUserTotp = 'edit-other-user-totp',
  ViewAccounts = 'view-accounts',
  ManageAccounts = 'manage-accounts',
  ManageRoles = 'manage-roles',
  ViewAudit = 'view-audit',
  /** Create, list and revoke one's own API keys. */
  ManageApiKeys = 'manage-api-keys',
  /** List every account's API keys. */
  ViewApiKeys = 'view-api-keys',
}

export const ALL_PERMISSIONS: readonly Permission[] = Object.values(Permission);

export function isPermission(value: string): value is Permission {
  return (ALL_PERMISSIONS as readonly string[]).includes(value);
}

/**
 * The permissions among `wanted` that `held` lacks, each once, sorted (a name that is no
 * permission grants nothing). Nobody acts above their own permissions: an account holding one of
 * these, or a role granting one, is out of the caller's reach.
 */
export function permissionsLacking(
  held: ReadonlySet<Permission>,
  wanted: Iterable<string>,
): Permission[] {
  const lacking = new Set<Permission>();
  for (const name of wanted) if (isPermission(name) && !held.has(name)) lacking.add(name);
  return [...lacking].sort();
}
