import { AccountsRepository } from '../../src/accounts/accounts.repository';
import { newAccount } from '../../src/accounts/new-account';
import { PasswordHasher } from '../../src/accounts/password-hasher';
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
  const expiresAt = new Date(now.getTime() + t.config.jwt.accessTokenTtlSeconds * 1000);
  const { id, session } = await get(WriteQueue).run(async (m) => {
    const roles = await get(RolesRepository).findByNames(spec.roles ?? ['User'], m);
    const account = newAccount(
      {
        userName: spec.userName,
        displayName: spec.userName,
        email: `${spec.userName}@example.com`,
        passwordHash,
        roles,
      },
      now,
    );
    // Enrolled: the secret encrypted for this account, as a confirmation leaves it.
    account.mfaSecret = cipher.encrypt(secret, account.id);
    account.mfaEnrolledAt = now;
    await get(AccountsRepository).insert(m, account);
    await get(RecoveryCodesRepository).replace(
      m,
      account.id,
      recoveryCodes.map((code) => cipher.keyedHashes(code)[0]),
      now,
    );
    const created = await get(SessionsRepository).create(
      m,
      {
        accountId: account.id,
        kind: 'access',
        securityStamp: account.securityStamp,
        expiresAt,
        mfaVerifiedAt: now,
        clientIp: '127.0.0.1',
        userAgent: 'test-factory',
      },
      now,
    );
    return { id: account.id, session: created };
  });
  const token = get(TokenService).issue(
    { sub: id, sid: session.id, typ: 'access' },
    expiresAt,
    now,
  );
  return { id, userName: spec.userName, password: FACTORY_PASSWORD, secret, token, recoveryCodes };
}
