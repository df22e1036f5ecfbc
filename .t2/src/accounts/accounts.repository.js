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
exports.AccountsRepository = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("typeorm");
const ascii_1 = require("../common/ascii");
const sql_1 = require("../database/sql");
const account_entity_1 = require("./entities/account.entity");
/** Clears the secret, the pending enrolment and the last step; the failures counted against the old factor, and so a lock-out, go with it. */
const CLEAR_MFA = `UPDATE accounts SET mfa_secret = NULL, mfa_pending_secret = NULL,
  mfa_enrolled_at = NULL, last_totp_step = NULL, failed_attempts = 0, locked_until = NULL,
  security_stamp = ?, updated_at = ? WHERE id = ?`;
/** The columns a search matches, lower-cased (user names are stored lower-cased already). */
const SEARCH = `(a.user_name_normalized LIKE :p ESCAPE '\\' OR LOWER(a.display_name) LIKE :p ESCAPE '\\'
  OR LOWER(a.email) LIKE :p ESCAPE '\\')`;
let AccountsRepository = class AccountsRepository {
    dataSource;
    sql;
    viewQuery;
    constructor(dataSource, sql) {
        this.dataSource = dataSource;
        this.sql = sql;
        this.viewQuery = `SELECT a.id, a.user_name, a.display_name, a.email, a.is_active,
        a.mfa_enrolled_at, a.locked_until, a.created_at,
        (SELECT ${sql.list('ar.role_name')} FROM account_roles ar
          WHERE ar.account_id = a.id) AS roles
      FROM accounts a WHERE a.id = ?`;
    }
    /** What GET ManagedAccount/{id} shows, in one prepared query (a hot read). */
    async findView(id) {
        const [row] = await this.sql.rows(undefined, this.viewQuery, [id]);
        if (row === undefined)
            return null;
        return {
            id: row.id,
            userName: row.user_name,
            displayName: row.display_name,
            email: row.email,
            isActive: Boolean(row.is_active),
            mfaEnrolledAt: (0, sql_1.fromDbTime)(row.mfa_enrolled_at),
            lockedUntil: (0, sql_1.fromDbTime)(row.locked_until),
            createdAt: (0, sql_1.fromDbTime)(row.created_at),
            roles: (row.roles ?? '')
                .split(',')
                .filter((name) => name !== '')
                .map((name) => ({ name })),
        };
    }
    repo(manager) {
        return (manager ?? this.dataSource.manager).getRepository(account_entity_1.Account);
    }
    findById(id, manager) {
        return this.repo(manager).findOne({ where: { id }, relations: { roles: true } });
    }
    findByUserName(userName, manager) {
        return this.repo(manager).findOne({
            where: { userNameNormalized: (0, ascii_1.asciiLower)(userName) },
            relations: { roles: true },
        });
    }
    count(manager) {
        return this.repo(manager).count();
    }
    /** A page of accounts ordered by user name, matching `search` (lower-case) as a substring. */
    page(search, skip, take) {
        const builder = this.repo()
            .createQueryBuilder('a')
            .leftJoinAndSelect('a.roles', 'r')
            .orderBy('a.userNameNormalized', 'ASC')
            .skip(skip)
            .take(take);
        if (search !== undefined && search !== '') {
            builder.where(SEARCH, { p: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
        }
        return builder.getManyAndCount();
    }
    /**
     * Row locks, in id order, held to the end of the transaction: concurrent changes of one account
     * then read each other's result instead of the same old state.
     */
    async lockForUpdate(manager, which) {
        if ('ids' in which) {
            await this.sql.lockRows(manager, `SELECT id FROM accounts WHERE id IN (${which.ids.map(() => '?').join(', ')}) ORDER BY id`, which.ids);
        }
        else {
            await this.sql.lockRows(manager, 'SELECT id FROM accounts WHERE user_name_normalized = ?', [
                (0, ascii_1.asciiLower)(which.userName),
            ]);
        }
    }
    /** The account with its password hash, for the first factor only. */
    findForPasswordCheck(userName) {
        return this.repo()
            .createQueryBuilder('a')
            .addSelect('a.passwordHash')
            .where('a.userNameNormalized = :name', { name: (0, ascii_1.asciiLower)(userName) })
            .getOne();
    }
    async passwordHashOf(id) {
        const row = await this.repo()
            .createQueryBuilder('a')
            .select(['a.id', 'a.passwordHash'])
            .where('a.id = :id', { id })
            .getOne();
        return row?.passwordHash ?? null;
    }
    async mfaSecretsOf(id, manager) {
        const row = await this.repo(manager)
            .createQueryBuilder('a')
            .select(['a.id', 'a.mfaSecret', 'a.mfaPendingSecret'])
            .where('a.id = :id', { id })
            .getOne();
        return row ? { mfaSecret: row.mfaSecret, mfaPendingSecret: row.mfaPendingSecret } : null;
    }
    /** A new account with its roles; a taken user name fails on the unique index. */
    async insert(manager, account) {
        await manager.save(account_entity_1.Account, account);
    }
    async update(manager, id, changes) {
        await manager.update(account_entity_1.Account, { id }, changes);
    }
    async replaceRoles(manager, id, roles, previous) {
        await manager
            .createQueryBuilder()
            .relation(account_entity_1.Account, 'roles')
            .of(id)
            .addAndRemove([...roles], [...previous]);
    }
    /** Starts (or restarts) an enrolment with this encrypted secret. */
    async setPendingSecret(manager, id, secret, now) {
        await manager.update(account_entity_1.Account, { id }, { mfaPendingSecret: secret, updatedAt: now });
    }
    /** Turns MFA on with the pending secret, unless it is on already; answers whether it did. */
    async enableMfa(manager, id, values) {
        const changed = await this.sql.run(manager, `UPDATE accounts SET mfa_secret = ?, mfa_pending_secret = NULL, mfa_enrolled_at = ?,
        security_stamp = ?, updated_at = ? WHERE id = ? AND mfa_enrolled_at IS NULL`, [values.secret, this.sql.time(values.now), values.stamp, this.sql.time(values.now), id]);
        return changed === 1;
    }
    /** MFA off: secret, pending enrolment and lock-out gone, a new security stamp. */
    async clearMfa(manager, id, stamp, now) {
        await this.sql.run(manager, CLEAR_MFA, [stamp, this.sql.time(now), id]);
    }
    /**
     * Spends a TOTP time step: succeeds only if it is later than the last step accepted and the
     * account is not locked, as one conditional UPDATE, so two requests with one code cannot both
     * pass, on any number of instances. A success also clears the failure count.
     */
    async spendTotpStep(manager, id, step, now) {
        const changed = await this.sql.run(manager, `UPDATE accounts SET last_totp_step = ?, failed_attempts = 0 WHERE id = ?
        AND (last_totp_step IS NULL OR last_totp_step < ?)
        AND (locked_until IS NULL OR locked_until <= ?)`, [step, id, step, this.sql.time(now)]);
        return changed === 1;
    }
    async clearFailures(manager, id) {
        await this.sql.run(manager, 'UPDATE accounts SET failed_attempts = 0 WHERE id = ?', [id]);
    }
    /**
     * Counts one failed attempt; at the threshold the account is locked until `lockUntil` and the
     * count starts again. Answers whether this attempt locked it.
     */
    async registerFailure(manager, id, threshold, lockUntil) {
        await this.sql.run(manager, 'UPDATE accounts SET failed_attempts = failed_attempts + 1 WHERE id = ?', [id]);
        const locked = await this.sql.run(manager, 'UPDATE accounts SET failed_attempts = 0, locked_until = ? WHERE id = ? AND failed_attempts >= ?', [this.sql.time(lockUntil), id, threshold]);
        return locked === 1;
    }
    /** Whether the account is locked now (false for an account that does not exist). */
    async isLocked(manager, id, now) {
        const [row] = await this.sql.rows(manager, 'SELECT 1 AS locked FROM accounts WHERE id = ? AND locked_until > ?', [id, this.sql.time(now)]);
        return row !== undefined;
    }
};
exports.AccountsRepository = AccountsRepository;
exports.AccountsRepository = AccountsRepository = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [typeorm_1.DataSource,
        sql_1.Sql])
], AccountsRepository);
//# sourceMappingURL=accounts.repository.js.map