"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.SessionsRepository = void 0;
const node_crypto_1 = require("node:crypto");
const common_1 = require("@nestjs/common");
const typeorm_1 = require("typeorm");
const sql_1 = require("../database/sql");
const session_entity_1 = require("./entities/session.entity");
/** Names no session: the one to keep when every session ends. */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';
const END_SESSIONS = `UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL
  AND expires_at > ? AND id <> ?`;
const splitList = (list) => list === null ? [] : list.split(',').filter((item) => item !== '');
let SessionsRepository = class SessionsRepository {
    sql;
    checkQuery;
    constructor(sql) {
        this.sql = sql;
        this.checkQuery = `SELECT s.id, s.account_id, s.kind, s.security_stamp AS session_stamp,
        s.expires_at, s.revoked_at, s.mfa_verified_at, a.user_name, a.is_active,
        a.security_stamp AS account_stamp, a.mfa_enrolled_at, a.locked_until,
        (SELECT ${sql.list('ar.role_name')} FROM account_roles ar
          WHERE ar.account_id = a.id) AS roles,
        (SELECT ${sql.list('r.permissions')} FROM account_roles ar
          JOIN roles r ON r.name = ar.role_name WHERE ar.account_id = a.id) AS permissions
      FROM sessions s JOIN accounts a ON a.id = s.account_id
      WHERE s.id = ?`;
    }
    /**
     * The session with its account, roles and permissions: what every request checks, in one
     * query (one round trip to the database, on the hot path of every call).
     */
    async findForCheck(sessionId) {
        const rows = await this.sql.rows(undefined, this.checkQuery, [sessionId]);
        const row = rows[0];
        if (row === undefined)
            return null;
        return {
            sessionId: row.id,
            accountId: row.account_id,
            kind: row.kind,
            sessionStamp: row.session_stamp,
            expiresAt: (0, sql_1.fromDbTime)(row.expires_at),
            revokedAt: (0, sql_1.fromDbTime)(row.revoked_at),
            mfaVerifiedAt: (0, sql_1.fromDbTime)(row.mfa_verified_at),
            userName: row.user_name,
            isActive: Boolean(row.is_active),
            accountStamp: row.account_stamp,
            mfaEnabled: row.mfa_enrolled_at !== null,
            lockedUntil: (0, sql_1.fromDbTime)(row.locked_until),
            roles: splitList(row.roles).sort(),
            permissions: splitList(row.permissions),
        };
    }
    async create(manager, values, now) {
        const session = manager.create(session_entity_1.Session, {
            id: (0, node_crypto_1.randomUUID)(),
            createdAt: now,
            revokedAt: null,
            ...values,
        });
        await manager.insert(session_entity_1.Session, session);
        return session;
    }
    /** Turns a pre-auth session into an access session; the pre-auth token dies with the kind. */
    async promote(manager, sessionId, fromKind, values) {
        const result = await manager.update(session_entity_1.Session, { id: sessionId, kind: fromKind, revokedAt: (0, typeorm_1.IsNull)() }, { kind: 'access', ...values });
        return result.affected === 1;
    }
    async markMfaVerified(manager, sessionId, at) {
        await manager.update(session_entity_1.Session, { id: sessionId }, { mfaVerifiedAt: at });
    }
    async revoke(manager, sessionId, at) {
        await manager.update(session_entity_1.Session, { id: sessionId, revokedAt: (0, typeorm_1.IsNull)() }, { revokedAt: at });
    }
    /**
     * Ends every open (not revoked, not expired) session of an account but one (the caller's own);
     * answers how many.
     */
    endSessions(manager, accountId, at, exceptSessionId) {
        const time = this.sql.time(at);
        return this.sql.run(manager, END_SESSIONS, [
            time,
            accountId,
            time,
            exceptSessionId ?? NIL_UUID,
        ]);
    }
    /** A session that survives a change of its account's security stamp takes the new one. */
    async restamp(manager, sessionId, stamp) {
        await this.sql.run(manager, 'UPDATE sessions SET security_stamp = ? WHERE id = ?', [
            stamp,
            sessionId,
        ]);
    }
};
exports.SessionsRepository = SessionsRepository;
exports.SessionsRepository = SessionsRepository = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [sql_1.Sql])
], SessionsRepository);
//# sourceMappingURL=sessions.repository.js.map