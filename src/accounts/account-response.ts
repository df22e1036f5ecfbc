import { AccountResponse } from './dto/account.dto';
import { Account } from './entities/account.entity';

/** What an account's answer is made of: the entity, or the row of `findView`. */
export type AccountFields = Pick<
  Account,
  | 'id'
  | 'userName'
  | 'displayName'
  | 'email'
  | 'isActive'
  | 'mfaEnrolledAt'
  | 'lockedUntil'
  | 'createdAt'
> & { readonly roles?: readonly { readonly name: string }[] };

export function toAccountResponse(account: AccountFields, now: Date = new Date()): AccountResponse {
  return {
    id: account.id,
    userName: account.userName,
    displayName: account.displayName,
    email: account.email,
    roles: (account.roles ?? []).map((r) => r.name).sort(),
    isActive: account.isActive,
    mfaEnabled: account.mfaEnrolledAt !== null,
    mfaEnrolledAt: account.mfaEnrolledAt?.toISOString() ?? null,
    lockedUntil:
      account.lockedUntil !== null && account.lockedUntil > now
        ? account.lockedUntil.toISOString()
        : null,
    createdAt: account.createdAt.toISOString(),
  };
}
