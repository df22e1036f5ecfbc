import { Injectable } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { EntityManager, In } from 'typeorm';
import { Account } from '../accounts/entities/account.entity';
import { newSecurityStamp } from '../accounts/security-stamp';
import { AuditAction } from '../audit/audit-action';
import { AuditService, partyOf } from '../audit/audit.service';
import { Principal } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { TransactionRunner } from '../database/transaction-runner';
import { RecoveryCode } from '../mfa/entities/recovery-code.entity';
import { isPermission } from '../roles/permission';
import { Session } from '../sessions/entities/session.entity';
import { SessionsRepository } from '../sessions/sessions.repository';
import { MfaResetResponse } from './dto/mfa-reset.dto';

type Refusal =
  { refused: 'missing'; missingIds: string[] } | { refused: 'not-allowed'; targets: Account[] };

/**
 * Every MFA reset, whichever endpoint asks: by id, by name, in a batch, or of oneself. In one
 * transaction per call it clears the secret, pending enrolment and recovery codes, rotates the
 * security stamp, ends every session of the account but the caller's own, and audits each
 * account. All or nothing; idempotent for an account without MFA.
 */
@Injectable()
export class MfaResetService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly sessions: SessionsRepository,
    private readonly runner: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async resetById(
    actor: Principal,
    id: string,
    context: RequestContext,
  ): Promise<MfaResetResponse> {
    const [result] = await this.reset(actor, { ids: [id] }, context, 'single');
    return result;
  }

  async resetByName(
    actor: Principal,
    userName: string,
    context: RequestContext,
  ): Promise<MfaResetResponse> {
    const [result] = await this.reset(actor, { userName }, context, 'single');
    return result;
  }

  async resetMany(
    actor: Principal,
    ids: readonly string[],
    context: RequestContext,
  ): Promise<{ userids: string[] }> {
    const results = await this.reset(actor, { ids }, context, 'batch');
    return { userids: results.map((r) => r.id) };
  }

  /** One's own MFA: no permission needed beyond being signed in (and step-up). */
  async resetOwn(actor: Principal, context: RequestContext): Promise<MfaResetResponse> {
    const [result] = await this.reset(actor, { ids: [actor.accountId] }, context, 'own');
    return result;
  }

  private async reset(
    actor: Principal,
    which: { ids: readonly string[] } | { userName: string },
    context: RequestContext,
    mode: 'single' | 'batch' | 'own',
  ): Promise<MfaResetResponse[]> {
    const outcome = await this.runner.run(async (m): Promise<MfaResetResponse[] | Refusal> => {
      const targets = await this.loadTargets(m, which);
      if ('missingIds' in targets) {
        if (mode !== 'batch') throw new DomainError(ErrorCode.AccountNotFound);
        return { refused: 'missing', missingIds: targets.missingIds };
      }
      const forbidden =
        mode === 'own' ? [] : targets.accounts.filter((t) => !this.mayReset(actor, t));
      if (forbidden.length > 0) return { refused: 'not-allowed', targets: forbidden };
      const now = this.clock.now();
      const results: MfaResetResponse[] = [];
      // A fixed lock order keeps concurrent batches from deadlocking on PostgreSQL.
      const ordered = [...targets.accounts].sort((a, b) => a.id.localeCompare(b.id));
      const byId = new Map<string, MfaResetResponse>();
      for (const target of ordered)
        byId.set(target.id, await this.resetOne(m, actor, target, now, context, mode === 'batch'));
      for (const target of targets.accounts) results.push(byId.get(target.id)!);
      return results;
    });
    if (Array.isArray(outcome)) return outcome;
    if (outcome.refused === 'missing') {
      throw new DomainError(ErrorCode.AccountsNotFound, undefined, {
        missingIds: outcome.missingIds,
      });
    }
    await this.runner.run(async (m) => {
      for (const target of outcome.targets) {
        await this.audit.append(m, {
          action: AuditAction.MfaReset,
          outcome: 'denied',
          actor: partyOf(actor),
          target: { id: target.id, name: target.userName },
          context,
          details: { reason: 'target holds a permission the caller lacks' },
        });
      }
    });
    throw new DomainError(ErrorCode.TargetNotAllowed);
  }

  /** Nobody resets an account holding a permission they lack (HelpDesk cannot reset an Admin). */
  private mayReset(actor: Principal, target: Account): boolean {
    return target.roles.every((role) =>
      role.permissions.filter(isPermission).every((p) => actor.permissions.has(p)),
    );
  }

  private async loadTargets(
    m: EntityManager,
    which: { ids: readonly string[] } | { userName: string },
  ): Promise<{ accounts: Account[] } | { missingIds: string[] }> {
    await this.accounts.lockForUpdate(m, which);
    const repository = m.getRepository(Account);
    if ('userName' in which) {
      const account = await repository.findOne({
        where: { userNameNormalized: which.userName.toLowerCase() },
        relations: { roles: true },
      });
      if (!account) throw new DomainError(ErrorCode.AccountNotFound);
      return { accounts: [account] };
    }
    const found = await repository.find({
      where: { id: In([...which.ids]) },
      relations: { roles: true },
    });
    const byId = new Map(found.map((a) => [a.id, a]));
    const missingIds = which.ids.filter((id) => !byId.has(id));
    if (missingIds.length > 0) return { missingIds };
    return { accounts: which.ids.map((id) => byId.get(id)!) };
  }

  private async resetOne(
    m: EntityManager,
    actor: Principal,
    target: Account,
    now: Date,
    context: RequestContext,
    batch: boolean,
  ): Promise<MfaResetResponse> {
    const stamp = newSecurityStamp();
    const mfaWasEnabled = target.mfaEnrolledAt !== null;
    await m.update(
      Account,
      { id: target.id },
      {
        mfaSecret: null,
        mfaPendingSecret: null,
        mfaEnrolledAt: null,
        lastTotpStep: null,
        securityStamp: stamp,
        updatedAt: now,
      },
    );
    await m.delete(RecoveryCode, { accountId: target.id });
    const keep = target.id === actor.accountId ? actor.sessionId : undefined;
    const sessionsRevoked = await this.sessions.revokeAllOf(m, target.id, now, keep);
    if (keep !== undefined) await m.update(Session, { id: keep }, { securityStamp: stamp });
    await this.audit.append(m, {
      action: AuditAction.MfaReset,
      outcome: 'success',
      actor: partyOf(actor),
      target: { id: target.id, name: target.userName },
      context,
      details: { mfaWasEnabled, sessionsRevoked, batch },
    });
    return { id: target.id, userName: target.userName, mfaWasEnabled, sessionsRevoked };
  }
}
