import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { isPermission, Permission, permissionsLacking } from '../common/auth/permission';
import { partyOf, Principal, sessionOf } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { APP_LOGGER, AppLogger } from '../common/logging/logger';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { WriteQueue } from '../database/write-queue';
import { SecretCipher } from '../mfa/secret-cipher';
import { generateApiKey, isWellFormedApiKey, shownPrefixOf } from './api-key-format';
import { ApiKeyCheck, ApiKeysRepository, ListedApiKey } from './api-keys.repository';
import { ApiKeyResponse, CreateApiKeyDto, CreatedApiKeyResponse } from './dto/api-key.dto';

/** The grant that makes a key an MFA proof (step-up), like a session that just proved MFA. */
export const STEP_UP_GRANT = 'step-up';

/** How often the last use of a key is written at most: not a write on every call. */
const LAST_USE_EVERY_MS = 60_000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Why a presented key did not authenticate; `malformed` and `unknown` were never stored keys. */
export type ApiKeyRefusal =
  | 'malformed'
  | 'unknown'
  | 'revoked'
  | 'expired'
  | 'owner-disabled'
  | 'credentials-changed'
  | 'user-id-mismatch';

export type ApiKeyOutcome =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: ApiKeyRefusal };

/** Whether a listed key would be taken now, and if not, why (the first reason that applies). */
function stateOf(key: ListedApiKey, now: Date): ApiKeyResponse['state'] {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt <= now) return 'expired';
  if (!key.ownerActive) return 'owner-disabled';
  if (!key.stampCurrent) return 'credentials-changed';
  return 'active';
}

function responseOf(key: ListedApiKey, now: Date): ApiKeyResponse {
  const owner = { id: key.accountId, userName: key.userName };
  return {
    state: stateOf(key, now),
    id: key.id,
    prefix: key.prefix,
    name: key.name,
    ownerId: owner.id,
    ownerName: owner.userName,
    permissions: key.permissions,
    grants: key.grants,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt.toISOString(),
    revokedAt: key.revokedAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: key.lastUsedIp,
  };
}

/**
 * API keys for unattended scripts: created with a subset of the owner's permissions and an
 * expiry, shown once, stored as a keyed hash. A call made with one is a principal like a
 * session's (the same guards, permission checks, step-up and audit), checked live against its
 * owner on every call: a disabled owner, a revoked or expired key, or a permission taken from
 * the owner's roles holds on the next call, on every instance.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    private readonly keys: ApiKeysRepository,
    private readonly cipher: SecretCipher,
    private readonly writes: WriteQueue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(
    owner: Principal,
    body: CreateApiKeyDto,
    context: RequestContext,
  ): Promise<CreatedApiKeyResponse> {
    const permissions = [...new Set(body.permissions)].sort();
    const grants = [...new Set(body.grants ?? [])].sort();
    const stepUp = grants.includes(STEP_UP_GRANT);
    const maxDays = stepUp ? this.config.apiKeys.stepUpMaxDays : this.config.apiKeys.maxDays;
    if (body.expiresInDays > maxDays) {
      throw DomainError.validation({
        expiresInDays: [
          `A key${stepUp ? ' with the step-up grant' : ''} expires within ${maxDays} days at the most.`,
        ],
      });
    }
    const lacking = permissionsLacking(owner.permissions, permissions);
    if (lacking.length > 0) {
      throw new DomainError(ErrorCode.TargetNotAllowed).audited({
        action: AuditAction.ApiKeyCreated,
        target: partyOf(owner),
        details: { reason: 'a permission the owner lacks', lacking, name: body.name },
      });
    }
    const key = generateApiKey();
    const now = this.clock.now();
    const created = {
      id: randomUUID(),
      accountId: owner.accountId,
      name: body.name,
      prefix: shownPrefixOf(key),
      permissions,
      grants,
      createdAt: now,
      expiresAt: new Date(now.getTime() + body.expiresInDays * DAY_MS),
    };
    await this.writes.run(async (m) => {
      const hash = this.cipher.keyedHashes(key, 'api-keys')[0];
      // The session's account changed (a password set, a reset) since this call was let in.
      if (!(await this.keys.insert(m, created, hash, sessionOf(owner).id)))
        throw new DomainError(ErrorCode.Unauthenticated);
      await this.audit.append(m, {
        action: AuditAction.ApiKeyCreated,
        outcome: 'success',
        actor: partyOf(owner),
        target: partyOf(owner),
        context,
        details: {
          apiKeyId: created.id,
          prefix: created.prefix,
          name: created.name,
          permissions,
          grants,
          expiresAt: created.expiresAt.toISOString(),
        },
      });
    });
    return {
      id: created.id,
      key,
      prefix: created.prefix,
      name: created.name,
      permissions,
      grants,
      expiresAt: created.expiresAt.toISOString(),
    };
  }

  /** The caller's own keys; every account's with `all` (needs view-api-keys). Never the key. */
  async list(caller: Principal, all: boolean): Promise<ApiKeyResponse[]> {
    if (all && !caller.permissions.has(Permission.ViewApiKeys)) {
      throw new DomainError(ErrorCode.PermissionDenied).audited({
        action: AuditAction.AccessDenied,
        details: { permission: Permission.ViewApiKeys, call: 'list every API key' },
      });
    }
    const rows = await this.keys.list(all ? undefined : caller.accountId);
    const now = this.clock.now();
    return rows.map((row) => responseOf(row, now));
  }

  /**
   * Revokes a key: one's own, or anyone's for a holder of view-api-keys (who can see them all).
   * A key the caller cannot see is a 404; revoking a revoked key changes nothing.
   */
  async revoke(caller: Principal, id: string, context: RequestContext): Promise<void> {
    await this.writes.run(async (m) => {
      const key = await this.keys.find(m, id);
      const visible =
        key !== null &&
        (key.accountId === caller.accountId || caller.permissions.has(Permission.ViewApiKeys));
      if (!visible) throw new DomainError(ErrorCode.ApiKeyNotFound);
      if (!(await this.keys.revoke(m, id, this.clock.now()))) return;
      await this.audit.append(m, {
        action: AuditAction.ApiKeyRevoked,
        outcome: 'success',
        actor: partyOf(caller),
        target: { id: key.accountId, name: null },
        context,
        details: { apiKeyId: key.id, prefix: key.prefix, name: key.name },
      });
    });
  }

  /**
   * The principal a presented key stands for, or why not. A key of the wrong shape or checksum is
   * refused without a database read; a known key that cannot be used is audited.
   */
  async authenticate(
    presented: string,
    claimedUserId: string | undefined,
    context: RequestContext,
  ): Promise<ApiKeyOutcome> {
    if (!isWellFormedApiKey(presented)) return { ok: false, reason: 'malformed' };
    const key = await this.keys.findForCheck(this.cipher.keyedHashes(presented, 'api-keys'));
    if (key === null) return { ok: false, reason: 'unknown' };
    const now = this.clock.now();
    const reason = this.refusalOf(key, claimedUserId, now);
    if (reason !== undefined) {
      await this.writes.run((m) =>
        this.audit.append(m, {
          action: AuditAction.ApiKeyRefused,
          outcome: 'denied',
          actor: { id: key.accountId, name: key.userName },
          target: { id: key.accountId, name: key.userName },
          context,
          details: { apiKeyId: key.id, prefix: key.prefix, reason },
        }),
      );
      return { ok: false, reason };
    }
    if (
      key.lastUsedAt === null ||
      now.getTime() - key.lastUsedAt.getTime() >= LAST_USE_EVERY_MS ||
      key.lastUsedIp !== context.clientIp
    ) {
      await this.writes
        .run((m) => this.keys.markUsed(m, key.id, now, context.clientIp))
        .catch((error: unknown) =>
          this.logger.warn({ err: error, apiKeyId: key.id }, 'could not record an API key use'),
        );
    }
    return { ok: true, principal: this.principalOf(key, now) };
  }

  private refusalOf(
    key: ApiKeyCheck,
    claimedUserId: string | undefined,
    now: Date,
  ): ApiKeyRefusal | undefined {
    if (key.revokedAt !== null) return 'revoked';
    if (key.expiresAt <= now) return 'expired';
    if (!key.ownerActive) return 'owner-disabled';
    // The owner's password, roles, MFA or state changed since: as its sessions, the key ended.
    if (!key.stampCurrent) return 'credentials-changed';
    if (claimedUserId !== undefined && claimedUserId.toLowerCase() !== key.accountId)
      return 'user-id-mismatch';
    return undefined;
  }

  /** What a key may do: what it was given and its owner holds now, no more. */
  private principalOf(key: ApiKeyCheck, now: Date): Principal {
    const held = new Set(key.ownerPermissions.filter(isPermission));
    return {
      accountId: key.accountId,
      userName: key.userName,
      sessionId: null,
      tokenKind: 'api-key',
      roles: key.ownerRoles,
      permissions: new Set(key.permissions.filter(isPermission).filter((p) => held.has(p))),
      mfaEnabled: key.ownerMfaEnabled,
      // A key with the step-up grant is a standing MFA proof; any other proves nothing by itself.
      mfaVerifiedAt: key.grants.includes(STEP_UP_GRANT) ? now : null,
      lockedUntil: key.ownerLockedUntil,
      apiKey: { id: key.id, prefix: key.prefix },
    };
  }
}
