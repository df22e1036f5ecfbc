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
exports.RecoveryCodesRepository = void 0;
const node_crypto_1 = require("node:crypto");
const common_1 = require("@nestjs/common");
const typeorm_1 = require("typeorm");
const sql_1 = require("../database/sql");
const recovery_code_entity_1 = require("./entities/recovery-code.entity");
/** An account's recovery codes, stored as keyed hashes only. */
let RecoveryCodesRepository = class RecoveryCodesRepository {
    dataSource;
    sql;
    constructor(dataSource, sql) {
        this.dataSource = dataSource;
        this.sql = sql;
    }
    /** Replaces the account's codes with these hashes. */
    async replace(manager, accountId, hashes, now) {
        await this.deleteAllOf(manager, accountId);
        await manager.insert(recovery_code_entity_1.RecoveryCode, hashes.map((codeHash) => ({
            id: (0, node_crypto_1.randomUUID)(),
            accountId,
            codeHash,
            usedAt: null,
            createdAt: now,
        })));
    }
    async deleteAllOf(manager, accountId) {
        await this.sql.run(manager, 'DELETE FROM recovery_codes WHERE account_id = ?', [accountId]);
    }
    /** Marks one unused code among these hashes used; answers whether there was one. */
    async spend(manager, accountId, hashes, now) {
        const result = await manager.update(recovery_code_entity_1.RecoveryCode, { accountId, codeHash: (0, typeorm_1.In)([...hashes]), usedAt: (0, typeorm_1.IsNull)() }, { usedAt: now });
        return result.affected === 1;
    }
    countUnused(accountId) {
        return this.dataSource
            .getRepository(recovery_code_entity_1.RecoveryCode)
            .count({ where: { accountId, usedAt: (0, typeorm_1.IsNull)() } });
    }
};
exports.RecoveryCodesRepository = RecoveryCodesRepository;
exports.RecoveryCodesRepository = RecoveryCodesRepository = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [typeorm_1.DataSource,
        sql_1.Sql])
], RecoveryCodesRepository);
//# sourceMappingURL=recovery-codes.repository.js.map