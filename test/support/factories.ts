import { randomUUID } from 'node:crypto';
import { AccountsRepository } from '../../src/accounts/accounts.repository';
import { Account } from '../../src/accounts/entities/account.entity';
import { PasswordHasher } from '../../src/accounts/password-hasher';
import { newSecurityStamp } from '../../src/accounts/security-stamp';
import { WriteQueue } from '../../src/database/write-queue';
import { RecoveryCodesRepository } from '../../src/mfa/recovery-codes.repository';
import { SecretCipher } from '../../src/mfa/secret-cipher';
import { TotpService } from '../../src/mfa/totp.service';
import { RolesRepository } from '../../src/roles/roles.repository';
import { SessionsRepository } from '../../src/sessions/sessions.repository';
import { TokenService } from '../../src/sessions/token.service';
import type { AppConfig } from '../../src/config/app-config';
import type { FakeClock } from './fake-clock';
import type { SignedIn } from './test-app';

/** What a factory needs of an app: its providers, its clock and its configuration. */
export interface FactoryHost {
  readonly app: { get<T>(type: abstract new (...args: never[]) => T): T };
  readonly clock: FakeClock;
  readonly config: AppConfig;
}

/** Every account a factory makes has this password (hashed once per test process). */
export const FACTORY_PASSWORD = 'Factory-made-Password-1!';

let sharedHash: Promise<string> | undefined;

export interface AccountSpec {
  readonly userName: string;
  readonly roles?: readonly string[];
}

/**
 * Accounts put straight into the database, as the service itself would have left them after a
 * sign-up and an enrolment: roles, an encrypted TOTP secret, ten recovery codes, and an access
 * session that has just proved MFA, with its token. No HTTP round trip and no password hash per
 * account: for tests about something else than how accounts come to be.
 */
export async function enrolledAccount(t: FactoryHost, spec: AccountSpec): Promise<SignedIn> {
  const get = <T>(type: abstract new (...args: never[]) => T): T => t.app.get(type);
  sharedHash ??= get(PasswordHasher).hash(FACTORY_PASSWORD);
  const passwordHash = await sharedHash;
  const totp = get(TotpService);
  const cipher = get(SecretCipher);
  const secret = totp.generateSecret();
  const recoveryCodes = totp.generateRecoveryCodes();
  const now = t.clock.now();
  const id = randomUUID();
  const stamp = newSecurityStamp();
  const expiresAt = new Date(now.getTime() + t.config.jwt.accessTokenTtlSeconds * 1000);
  const session = await get(WriteQueue).run(async (m) => {
    const roles = await get(RolesRepository).findByNames(spec.roles ?? ['User'], m);
    const account = m.create(Account, {
      id,
      userName: spec.userName,
      userNameNormalized: spec.userName.toLowerCase(),
      displayName: spec.userName,
      email: `${spec.userName}@example.com`,
      passwordHash,
      isActive: true,
      securityStamp: stamp,
      mfaSecret: cipher.encrypt(secret, id),
      mfaEnrolledAt: now,
      mfaPendingSecret: null,
      lastTotpStep: null,
      failedAttempts: 0,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
      roles,
    });
    await get(AccountsRepository).insert(m, account);
    await get(RecoveryCodesRepository).replace(
      m,
      id,
      recoveryCodes.map((code) => cipher.keyedHashes(code)[0]),
      now,
    );
    return get(SessionsRepository).create(
      m,
      {
        accountId: id,
        kind: 'access',
        securityStamp: stamp,
        expiresAt,
        mfaVerifiedAt: now,
        clientIp: '127.0.0.1',
        userAgent: 'test-factory',
      },
      now,
    );
  });
  const token = get(TokenService).issue(
    { sub: id, sid: session.id, typ: 'access' },
    expiresAt,
    now,
  );
  return { id, userName: spec.userName, password: FACTORY_PASSWORD, secret, token, recoveryCodes };
}
