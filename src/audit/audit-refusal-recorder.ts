import { Injectable } from '@nestjs/common';
import type { RequestContext } from '../common/http/request-context';
import type { Party } from '../common/auth/principal';
import type { RefusalRecord } from '../common/problem/domain-error';
import { RefusalRecorder } from '../common/problem/refusal-recorder';
import { WriteQueue } from '../database/write-queue';
import { AuditAction, isAuditAction } from './audit-action';
import { AuditService } from './audit.service';

/** Every audited refusal, from any layer, in a transaction of its own. */
@Injectable()
export class AuditRefusalRecorder extends RefusalRecorder {
  constructor(
    private readonly writes: WriteQueue,
    private readonly audit: AuditService,
  ) {
    super();
  }

  async record(
    refusal: RefusalRecord,
    caller: Party | undefined,
    context: RequestContext,
  ): Promise<void> {
    const action = isAuditAction(refusal.action) ? refusal.action : AuditAction.AccessDenied;
    await this.writes.run((m) =>
      this.audit.append(m, {
        action,
        outcome: refusal.outcome ?? 'denied',
        actor: refusal.actor ?? caller,
        target: refusal.target,
        context,
        details: refusal.details,
      }),
    );
  }
}
