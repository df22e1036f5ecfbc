import { Injectable } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { AuditService } from '../audit/audit.service';
import { WriteQueue } from '../database/write-queue';
import { SecretCipher, UnknownSecretKeyError } from './secret-cipher';

/** Below every uuid: where a walk in id order starts. */
const BEFORE_FIRST_ID = '00000000-0000-0000-0000-000000000000';
const BATCH = 200;
/** Walks over the table at most: enrolments and resets meanwhile can leave work for another. */
const MAX_PASSES = 5;

export interface RewrapReport {
  /** Secrets (enrolled or pending) now encrypted under the current key. */
  readonly rewrapped: number;
  /** Secrets changed by an enrolment or reset between a read and its write (walked again). */
  readonly changedMeanwhile: number;
  /** Key ids that are not configured, with how many secrets each holds (left as they are). */
  readonly unknownKeys: Readonly<Record<string, number>>;
  /** Accounts whose secret does not decrypt under its own key (damaged): left as they are. */
  readonly unreadable: readonly string[];
  /** Secrets still under another key at the end (0 unless keys are unknown or values damaged). */
  readonly remaining: number;
  /** The audit chain head: signed again under the current key, already so, empty, or untrusted. */
  readonly auditHead: 'resigned' | 'current' | 'empty' | 'untrusted';
}

interface Pass {
  rewrapped: number;
  changedMeanwhile: number;
  unknownKeys: Record<string, number>;
  unreadable: Set<string>;
  left: number;
}

/**
 * After MFA_ENCRYPTION_KEY is rotated: encrypts every TOTP secret still under an earlier key
 * again under the current one, so that the earlier key can be dropped. Batches commit one by one
 * (a run that stops is resumed by running again: only secrets under other keys are read), each
 * write is a compare-and-set (so several instances, or runs, may work at once), and the table is
 * walked again until a walk finds nothing it can do.
 */
@Injectable()
export class SecretRewrapper {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly cipher: SecretCipher,
    private readonly writes: WriteQueue,
    private readonly audit: AuditService,
  ) {}

  async rewrapAll(): Promise<RewrapReport> {
    let rewrapped = 0;
    let changedMeanwhile = 0;
    let last: Pass | undefined;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      last = await this.walk();
      rewrapped += last.rewrapped;
      changedMeanwhile += last.changedMeanwhile;
      if (last.rewrapped === 0 && last.changedMeanwhile === 0) break;
    }
    const final = last ?? (await this.walk());
    // The head too, or an instance without the earlier key could append nothing.
    const auditHead = await this.writes.run((m) => this.audit.resignHead(m));
    return {
      auditHead,
      rewrapped,
      changedMeanwhile,
      unknownKeys: final.unknownKeys,
      unreadable: [...final.unreadable].sort(),
      remaining: final.left,
    };
  }

  /** One walk over every account with a secret under another key. */
  private async walk(): Promise<Pass> {
    const pass: Pass = {
      rewrapped: 0,
      changedMeanwhile: 0,
      unknownKeys: {},
      unreadable: new Set(),
      left: 0,
    };
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
              pass.left++;
              if (error instanceof UnknownSecretKeyError)
                pass.unknownKeys[error.keyId] = (pass.unknownKeys[error.keyId] ?? 0) + 1;
              else pass.unreadable.add(row.id);
              continue;
            }
            if (await this.accounts.replaceSecret(m, row.id, column, stored, next))
              pass.rewrapped++;
            else pass.changedMeanwhile++;
          }
        }
      });
      after = rows[rows.length - 1].id;
    }
    return pass;
  }
}
