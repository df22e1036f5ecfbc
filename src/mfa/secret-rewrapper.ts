import { Injectable } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { WriteQueue } from '../database/write-queue';
import { SecretCipher, UnknownSecretKeyError } from './secret-cipher';

/** Below every uuid: where a walk in id order starts. */
const BEFORE_FIRST_ID = '00000000-0000-0000-0000-000000000000';
const BATCH = 200;

export interface RewrapReport {
  /** Secrets (enrolled or pending) now encrypted under the current key. */
  readonly rewrapped: number;
  /** Secrets changed by an enrolment or reset between the read and the write: left as they are. */
  readonly changedMeanwhile: number;
  /** Key ids that are not configured, with how many secrets each holds (left as they are). */
  readonly unknownKeys: Readonly<Record<string, number>>;
}

/**
 * After MFA_ENCRYPTION_KEY is rotated: encrypts every TOTP secret still under an earlier key
 * again under the current one, so that the earlier key can be dropped. Batches commit one by one
 * (a run that stops is resumed by running again: only secrets under other keys are read), and
 * each write is a compare-and-set, so several instances (or runs) may work at the same time.
 */
@Injectable()
export class SecretRewrapper {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly cipher: SecretCipher,
    private readonly writes: WriteQueue,
  ) {}

  async rewrapAll(): Promise<RewrapReport> {
    let rewrapped = 0;
    let changedMeanwhile = 0;
    const unknownKeys: Record<string, number> = {};
    let after = BEFORE_FIRST_ID;
    for (;;) {
      const rows = await this.accounts.secretsNotUnder(this.cipher.currentPrefix, after, BATCH);
      if (rows.length === 0) break;
      await this.writes.run(async (m) => {
        for (const row of rows) {
          for (const [column, stored] of [
            ['mfa_secret', row.mfaSecret],
            ['mfa_pending_secret', row.mfaPendingSecret],
          ] as const) {
            if (stored === null || !this.cipher.needsRewrap(stored)) continue;
            let next: string;
            try {
              next = this.cipher.rewrap(stored, row.id);
            } catch (error) {
              if (!(error instanceof UnknownSecretKeyError)) throw error;
              unknownKeys[error.keyId] = (unknownKeys[error.keyId] ?? 0) + 1;
              continue;
            }
            if (await this.accounts.replaceSecret(m, row.id, column, stored, next)) rewrapped++;
            else changedMeanwhile++;
          }
        }
      });
      after = rows[rows.length - 1].id;
    }
    return { rewrapped, changedMeanwhile, unknownKeys };
  }
}
