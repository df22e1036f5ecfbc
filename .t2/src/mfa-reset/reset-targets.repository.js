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
exports.ResetTargetsRepository = void 0;
const common_1 = require("@nestjs/common");
const ascii_1 = require("../common/ascii");
const sql_1 = require("../database/sql");
/** The accounts a reset names, with what the reset needs to decide, in one query. */
let ResetTargetsRepository = class ResetTargetsRepository {
    sql;
    select;
    constructor(sql) {
        this.sql = sql;
        this.select = `SELECT a.id, a.user_name, a.mfa_enrolled_at,
        (SELECT ${sql.list('r.permissions')} FROM account_roles ar
          JOIN roles r ON r.name = ar.role_name WHERE ar.account_id = a.id) AS permissions
      FROM accounts a WHERE`;
    }
    /** The accounts found (by id, or the one by user name); a missing one is simply absent. */
    async find(manager, which) {
        const rows = 'userName' in which
            ? await this.sql.rows(manager, `${this.select} a.user_name_normalized = ?`, [(0, ascii_1.asciiLower)(which.userName)])
            : await this.sql.rows(manager, `${this.select} a.id IN (${which.ids.map(() => '?').join(', ')})`, which.ids, 
            // One account: a statement prepared once. A batch: its own list, not worth keeping.
            { prepare: which.ids.length === 1 });
        return rows.map((row) => ({
            id: row.id,
            userName: row.user_name,
            mfaEnabled: row.mfa_enrolled_at !== null,
            permissions: (row.permissions ?? '').split(',').filter((p) => p !== ''),
        }));
    }
};
exports.ResetTargetsRepository = ResetTargetsRepository;
exports.ResetTargetsRepository = ResetTargetsRepository = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [sql_1.Sql])
], ResetTargetsRepository);
//# sourceMappingURL=reset-targets.repository.js.map