import { randomUUID } from 'node:crypto';
import { asciiLower } from '../common/ascii';
import { Role } from '../roles/entities/role.entity';
import { Account } from './entities/account.entity';
import { newSecurityStamp } from './security-stamp';

/** An account as creation leaves it: active, without MFA, a fresh id and security stamp. */
export function newAccount(
  values: {
    readonly userName: string;
    readonly displayName: string;
    readonly email: string;
    readonly passwordHash: string;
    readonly roles: readonly Role[];
  },
  now: Date,
): Account {
  return Object.assign(new Account(), {
    id: randomUUID(),
    userName: values.userName,
    userNameNormalized: asciiLower(values.userName),
    displayName: values.displayName,
    email: values.email,
    passwordHash: values.passwordHash,
    isActive: true,
    securityStamp: newSecurityStamp(),
    mfaSecret: null,
    mfaEnrolledAt: null,
    mfaPendingSecret: null,
    lastTotpStep: null,
    failedAttempts: 0,
    lockedUntil: null,
    createdAt: now,
    updatedAt: now,
    roles: [...values.roles],
  });
}
