import { Inject, Injectable } from '@nestjs/common';
import { APP_LOGGER, AppLogger } from '../../common/logging/logger';
import type { FastifyRequest } from 'fastify';
import { AccountsRepository } from '../../accounts/accounts.repository';
import { ApiKeyGate } from '../../auth/guards/api-key-gate';
import { AuditAction } from '../../audit/audit-action';
import { Permission } from '../../common/auth/permission';
import type { Principal } from '../../common/auth/principal';
import { UnreadableBody } from '../../common/http/body-reader';
import { headerCount, headerOf, requestContext } from '../../common/http/request-context';
import { DomainError, ErrorCode } from '../../common/problem/domain-error';
import { ProblemDetailsFilter } from '../../common/problem/problem-details.filter';
import { isUuid } from '../../common/validation/uuid-param.pipe';
import { MfaResetService } from '../../mfa-reset/mfa-reset.service';
import type { MfaResetBatchResponse } from '../../mfa-reset/dto/mfa-reset.dto';
import { StepUpService } from '../../mfa/step-up.service';
import {
  idempotencyKeyOf,
  idempotencyRefOf,
  requestHashOf,
} from '../../idempotency/idempotency-key';
import { IdempotencyRepository, StoredAnswer } from '../../idempotency/idempotency.repository';
import { justificationInputOf } from '../../mfa-reset/reset-justification';
import { problemFor } from '../../common/problem/problem-details';

/** What one HTTP request's calls share: step-up proved once, and its Idempotency-Key. */
interface RequestState {
  readonly proved: Set<string>;
  /** A reset of this request has been done (its answer is then kept under the key). */
  acted: boolean;
}

/** A retry of a request already answered: its first answer is the whole answer. */
class Replay extends Error {
  constructor(readonly answer: StoredAnswer) {
    super('replay');
  }
}

/** The Zabbix version clients check first (apiinfo.version). */
export const ZABBIX_VERSION = '7.0.0';

type Id = string | number | null;

export interface RpcError {
  readonly code: number;
  readonly message: string;
  readonly data: string;
}

export type RpcAnswer =
  { jsonrpc: '2.0'; result: unknown; id: Id } | { jsonrpc: '2.0'; error: RpcError; id: Id };

/** A JSON-RPC error, as Zabbix words them. */
class Rpc extends Error {
  constructor(
    readonly code: number,
    readonly data: string,
  ) {
    super(data);
  }
}

const MESSAGES: Record<number, string> = {
  [-32700]: 'Parse error',
  [-32600]: 'Invalid request.',
  [-32601]: 'Method not found.',
  [-32602]: 'Invalid params.',
  [-32500]: 'Application error.',
};

const NOT_AUTHORISED = 'Not authorized.';
const NO_OBJECT = 'No permissions to referred object or it does not exist!';

export interface ZabbixUser {
  readonly userid: string;
  readonly username: string;
  readonly name: string;
  readonly surname: string;
  readonly roleid: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Zabbix's JSON-RPC API for what this service does, over its own rules: API keys (Zabbix's API
 * tokens) through the one key gate, permissions, step-up (`x-2fa-code`), the one reset service,
 * and the audit log (refusals through the problem filter's recorder). `user.login` refuses every
 * account, as Zabbix refuses members of MFA groups: API use goes through keys.
 */
@Injectable()
export class ZabbixService {
  constructor(
    private readonly gate: ApiKeyGate,
    private readonly accounts: AccountsRepository,
    private readonly resets: MfaResetService,
    private readonly stepUp: StepUpService,
    private readonly problems: ProblemDetailsFilter,
    private readonly keys: IdempotencyRepository,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {}

  /**
   * The answer to a request or a batch; undefined when nothing is owed (notifications only). With
   * an Idempotency-Key, the first user.resettotp call takes the key for the whole request: a
   * retry gets the whole first answer, and nothing runs again.
   */
  async handle(
    body: unknown,
    req: FastifyRequest,
  ): Promise<{ answer: unknown; replayed: boolean }> {
    const state: RequestState = { proved: new Set<string>(), acted: false };
    let answer: RpcAnswer | RpcAnswer[] | undefined;
    try {
      answer = await this.answer(body, req, state);
    } catch (error) {
      if (error instanceof Replay)
        return { answer: error.answer.body ?? undefined, replayed: true };
      if (req.idempotent !== undefined) await this.keys.release(req.idempotent.ref);
      throw error;
    }
    const key = req.idempotent?.ref;
    // Only an answer that reset something is kept: a refused request frees its key for the retry.
    if (key !== undefined && state.acted)
      await this.keys.complete(key, { status: 200, body: answer ?? null });
    else if (key !== undefined) await this.keys.release(key);
    return { answer, replayed: false };
  }

  private async answer(
    body: unknown,
    req: FastifyRequest,
    state: RequestState,
  ): Promise<RpcAnswer | RpcAnswer[] | undefined> {
    if (body instanceof UnreadableBody || body === undefined) {
      return this.failure(
        null,
        new Rpc(
          -32700,
          'Invalid JSON. An error occurred on the server while parsing the JSON text.',
        ),
      );
    }
    // Step-up is proved once per HTTP request: a code is spent once, and the calls of a batch
    // after the first must neither fail for it nor count toward the owner's lock-out.
    if (Array.isArray(body)) {
      if (body.length === 0) return this.failure(null, new Rpc(-32600, 'Invalid JSON-RPC batch.'));
      // One key, one caller: a batch under an Idempotency-Key uses one credential throughout (a
      // call by another caller would take, or be replayed from, a key that is not its own).
      const credentials = new Set(body.map((call) => (isObject(call) ? call.auth : undefined)));
      if (headerOf(req, 'idempotency-key') !== undefined && credentials.size > 1)
        return this.failure(
          null,
          new Rpc(
            -32600,
            'A batch with an Idempotency-Key must use one credential for every call.',
          ),
        );
      const answers: RpcAnswer[] = [];
      for (const call of body) {
        const answer = await this.one(call, req, state);
        if (answer !== undefined) answers.push(answer);
      }
      return answers.length === 0 ? undefined : answers;
    }
    return this.one(body, req, state);
  }

  private async one(
    call: unknown,
    req: FastifyRequest,
    state: RequestState,
  ): Promise<RpcAnswer | undefined> {
    // Each call of a batch authenticates by itself: no caller carried over from the one before.
    (req as { user?: Principal }).user = undefined;
    if (!isObject(call))
      return this.failure(null, new Rpc(-32600, 'The request must be an object.'));
    const id = call.id;
    const validId =
      id === undefined || id === null || typeof id === 'string' || typeof id === 'number';
    const answerId: Id = validId && id !== undefined ? id : null;
    if (call.jsonrpc !== '2.0' || typeof call.method !== 'string' || !validId) {
      return this.failure(
        answerId,
        new Rpc(
          -32600,
          'Invalid parameter "/": the parameter "jsonrpc" is missing or not "2.0", or "method" is missing.',
        ),
      );
    }
    const params = call.params ?? {};
    if (!isObject(params) && !Array.isArray(params)) {
      return this.failure(
        answerId,
        new Rpc(-32602, 'Invalid parameter "/": an array or object is expected.'),
      );
    }
    try {
      const result = await this.dispatch(call.method, params, call.auth, req, state);
      return id === undefined ? undefined : { jsonrpc: '2.0', result, id: answerId };
    } catch (error) {
      if (error instanceof Replay) throw error;
      const rpc = await this.rpcOf(error, req);
      return id === undefined ? undefined : this.failure(answerId, rpc);
    }
  }

  private failure(id: Id, error: Rpc): RpcAnswer {
    return {
      jsonrpc: '2.0',
      error: {
        code: error.code,
        message: MESSAGES[error.code] ?? 'Application error.',
        data: error.data,
      },
      id,
    };
  }

  /** A refusal as Zabbix answers it; the audit record it carries is written first. */
  private async rpcOf(error: unknown, req: FastifyRequest): Promise<Rpc> {
    if (error instanceof Rpc) return error;
    if (!(error instanceof DomainError)) {
      // A fault in one call of a batch must not hide the answers of the others (some of them
      // may have changed state): that call answers -32500, the log has the fault.
      this.logger.error(
        { traceId: req.traceId, err: error instanceof Error ? error.message : String(error) },
        'a Zabbix call failed',
      );
      return new Rpc(-32500, 'Application error.');
    }
    if (error.refusal !== undefined) await this.problems.recordRefusal(req, error);
    switch (error.code) {
      case ErrorCode.Unauthenticated:
        return new Rpc(-32602, NOT_AUTHORISED);
      case ErrorCode.AccountNotFound:
      case ErrorCode.AccountsNotFound:
      case ErrorCode.TargetNotAllowed:
        return new Rpc(-32602, NO_OBJECT);
      case ErrorCode.ValidationFailed:
        return new Rpc(
          -32602,
          Object.values(error.extensions.errors ?? {})[0]?.[0] ?? 'Invalid params.',
        );
      case ErrorCode.PermissionDenied:
        return new Rpc(-32500, 'No permissions to call this method.');
      case ErrorCode.RateLimited:
        return new Rpc(-32500, 'Too many failed authentication attempts: retry later.');
      case ErrorCode.StepUpRequired:
        return new Rpc(
          -32500,
          'TOTP Required [totp-required]: send the current code in the x-2fa-code header.',
        );
      case ErrorCode.StepUpInvalid:
        return new Rpc(-32500, 'TOTP Invalid [totp-invalid].');
      default:
        return new Rpc(-32500, error.detail ?? problemFor(error, '', '').body.detail);
    }
  }

  private async dispatch(
    method: string,
    params: Record<string, unknown> | unknown[],
    auth: unknown,
    req: FastifyRequest,
    state: RequestState,
  ): Promise<unknown> {
    switch (method) {
      case 'apiinfo.version':
        return ZABBIX_VERSION;
      case 'user.login':
        return this.login(params);
      case 'user.checkAuthentication':
        return this.checkAuthentication(params, req);
      case 'user.logout':
        await this.caller(auth, req);
        return true;
      case 'user.get':
        return this.users(await this.caller(auth, req, Permission.ViewAccounts), params);
      case 'user.resettotp':
        return this.resetTotp(
          await this.caller(auth, req, Permission.EditOtherUserTotp),
          params,
          req,
          state,
        );
      default:
        throw new Rpc(-32601, `Incorrect method "${method.slice(0, 64)}".`);
    }
  }

  /** The caller an API key stands for: `Authorization: Bearer <key>`, or the `auth` member. */
  private async caller(
    auth: unknown,
    req: FastifyRequest,
    permission?: Permission,
  ): Promise<Principal> {
    const header = headerOf(req, 'authorization')
      ?.replace(/^Bearer\s+/i, '')
      .trim();
    const member = typeof auth === 'string' && auth !== '' ? auth : undefined;
    const repeated = headerCount(req, 'authorization') > 1;
    // One credential, said once: a header and an `auth` member (or the header twice) is none.
    if (repeated || (member !== undefined && header !== undefined))
      throw new Rpc(-32602, NOT_AUTHORISED);
    const key = member ?? header;
    if (key === undefined || key === '') throw new Rpc(-32602, NOT_AUTHORISED);
    const principal = await this.gate.authenticate(req, { key, claimedUserId: undefined });
    (req as { user?: Principal }).user = principal;
    if (permission !== undefined && !principal.permissions.has(permission)) {
      throw new DomainError(ErrorCode.PermissionDenied).audited({
        action: AuditAction.AccessDenied,
        details: { permission, call: 'zabbix' },
      });
    }
    return principal;
  }

  /**
   * Zabbix refuses API sign-in to members of MFA groups; here every account has MFA, so every
   * sign-in is refused alike, without a password check: no hash to spend (a batch of logins
   * cannot fill the hashing queue) and no answer that tells a right password from a wrong one.
   */
  private login(params: Record<string, unknown> | unknown[]): never {
    const p = isObject(params) ? params : {};
    const login = typeof p.username === 'string' ? p.username : p.user;
    if (typeof login !== 'string' || typeof p.password !== 'string')
      throw new Rpc(
        -32602,
        'Invalid parameter "/": the parameters "username" and "password" are required.',
      );
    throw new Rpc(
      -32500,
      'Multi-factor authentication is required for every user: use an API token (Authorization: Bearer <token>).',
    );
  }

  private async checkAuthentication(
    params: Record<string, unknown> | unknown[],
    req: FastifyRequest,
  ): Promise<ZabbixUser> {
    const p = isObject(params) ? params : {};
    const token = typeof p.token === 'string' ? p.token : p.sessionid;
    if (typeof token !== 'string')
      throw new Rpc(-32602, 'Invalid parameter "/": the parameter "token" is required.');
    let principal: Principal;
    try {
      principal = await this.gate.authenticate(req, { key: token, claimedUserId: undefined });
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.Unauthenticated)
        throw new Rpc(-32500, 'Session terminated, re-login, please.');
      throw error;
    }
    const [user] = await this.byIds([principal.accountId]);
    if (user === undefined) throw new Rpc(-32500, 'Session terminated, re-login, please.');
    return user;
  }

  private async byIds(ids: readonly string[]): Promise<ZabbixUser[]> {
    const users: ZabbixUser[] = [];
    for (const id of ids) {
      const account = isUuid(id) ? await this.accounts.findView(id.toLowerCase()) : null;
      if (account !== null) {
        users.push({
          userid: account.id,
          username: account.userName,
          name: account.displayName,
          surname: '',
          roleid: (account.roles ?? []).map((r) => r.name).join(','),
        });
      }
    }
    return users;
  }

  /** user.get: `userids`, `filter.username`, `search.username`, `limit`; Zabbix's fields, strings. */
  private async users(
    _caller: Principal,
    params: Record<string, unknown> | unknown[],
  ): Promise<ZabbixUser[]> {
    const p = isObject(params) ? params : {};
    const limit =
      typeof p.limit === 'number' && Number.isInteger(p.limit) && p.limit > 0
        ? Math.min(p.limit, 1000)
        : 1000;
    if (p.userids !== undefined) {
      const ids = (Array.isArray(p.userids) ? p.userids : [p.userids]).map(String).slice(0, 1000);
      return (await this.byIds(ids)).slice(0, limit);
    }
    const filter = isObject(p.filter) ? p.filter.username : undefined;
    if (filter !== undefined) {
      const names = (Array.isArray(filter) ? filter : [filter]).map(String).slice(0, 1000);
      const ids: string[] = [];
      for (const name of names) {
        const account = await this.accounts.findForPasswordCheck(name);
        if (account !== null) ids.push(account.id);
      }
      return (await this.byIds(ids)).slice(0, limit);
    }
    const search =
      isObject(p.search) && typeof p.search.username === 'string' ? p.search.username : undefined;
    const [page] = await this.accounts.page(search, 0, Math.min(limit, 200));
    return this.byIds(page.map((a) => a.id));
  }

  /** user.resettotp: ids, or `{"userid"}` objects; all or nothing, as the batch reset. */
  private async resetTotp(
    caller: Principal,
    params: Record<string, unknown> | unknown[],
    req: FastifyRequest,
    state: RequestState,
  ): Promise<MfaResetBatchResponse> {
    const list = Array.isArray(params) ? params : [];
    const ids = list.map((entry) => (isObject(entry) ? entry.userid : entry));
    if (
      ids.length === 0 ||
      ids.length > 1000 ||
      ids.some((id) => typeof id !== 'string' && typeof id !== 'number')
    )
      throw new Rpc(
        -32602,
        'Invalid parameter "/": an array of user IDs (at most 1000) is expected.',
      );
    await this.takeIdempotencyKey(caller, req);
    const who = caller.apiKey?.id ?? caller.accountId;
    if (!state.proved.has(who)) {
      await this.stepUp.demand(
        caller,
        { code: headerOf(req, 'x-2fa-code'), method: headerOf(req, 'x-2fa-method') },
        requestContext(req),
      );
      state.proved.add(who);
    }
    const uuids = ids.map((id) => String(id).toLowerCase());
    if (uuids.some((id) => !isUuid(id))) throw new Rpc(-32602, NO_OBJECT);
    // The params are ids only: the reason and ticket come in the X-Reset-* headers.
    const answer = await this.resets.resetMany(
      caller,
      [...new Set(uuids)],
      requestContext(req),
      justificationInputOf(req, null),
    );
    state.acted = true;
    return answer;
  }

  /**
   * The request's Idempotency-Key, taken by its first reset call, after the caller's checks and
   * before step-up (a retry of an answered request needs no new code): a retry throws Replay.
   */
  private async takeIdempotencyKey(caller: Principal, req: FastifyRequest): Promise<void> {
    if (req.idempotent !== undefined) return;
    const key = idempotencyKeyOf(req);
    if (key === undefined) return;
    const ref = idempotencyRefOf(caller, key);
    const requestHash = requestHashOf(req);
    const seen = await this.keys.peek(ref, requestHash);
    if (seen !== undefined) throw new Replay(seen);
    const started = await this.keys.begin(ref, requestHash);
    if (started.kind === 'replay') throw new Replay(started.answer);
    req.idempotent = { ref, requestHash, answeredByCaller: true };
  }
}
