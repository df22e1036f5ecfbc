import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { dbTime } from '../database/db-time';
import { Session, SessionKind } from './entities/session.entity';

export interface NewSession {
  readonly accountId: string;
  readonly kind: SessionKind;
  readonly securityStamp: string;
  readonly expiresAt: Date;
  readonly mfaVerifiedAt: Date | null;
  readonly clientIp: string | null;
  readonly userAgent: string | null;
}

@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The session with its account and the account's roles: what every request checks. */
  findWithAccount(sessionId: string): Promise<Session | null> {
    return this.dataSource.getRepository(Session).findOne({
      where: { id: sessionId },
      relations: { account: { roles: true } },
    });
  }

  async create(manager: EntityManager, values: NewSession, now: Date): Promise<Session> {
    const session = manager.create(Session, {
      id: randomUUID(),
      createdAt: now,
      revokedAt: null,
      ...values,
    });
    await manager.insert(Session, session);
    return session;
  }

  /** Turns a pre-auth session into an access session; the pre-auth token dies with the kind. */
  async promote(
    manager: EntityManager,
    sessionId: string,
    fromKind: SessionKind,
    values: { expiresAt: Date; securityStamp: string; mfaVerifiedAt: Date },
  ): Promise<boolean> {
    const result = await manager.update(
      Session,
      { id: sessionId, kind: fromKind, revokedAt: IsNull() },
      { kind: 'access', ...values },
    );
    return result.affected === 1;
  }

  async markMfaVerified(manager: EntityManager, sessionId: string, at: Date): Promise<void> {
    await manager.update(Session, { id: sessionId }, { mfaVerifiedAt: at });
  }

  async revoke(manager: EntityManager, sessionId: string, at: Date): Promise<void> {
    await manager.update(Session, { id: sessionId, revokedAt: IsNull() }, { revokedAt: at });
  }

  /** Ends every open (not revoked, not expired) session of an account except one (the caller's own); answers how many. */
  async revokeAllOf(
    manager: EntityManager,
    accountId: string,
    at: Date,
    exceptSessionId?: string,
  ): Promise<number> {
    const query = manager
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: at })
      .where('account_id = :accountId AND revoked_at IS NULL AND expires_at > :at', {
        accountId,
        at: dbTime(manager, at),
      });
    if (exceptSessionId !== undefined)
      query.andWhere('id <> :exceptSessionId', { exceptSessionId });
    const result = await query.execute();
    return result.affected ?? 0;
  }
}
