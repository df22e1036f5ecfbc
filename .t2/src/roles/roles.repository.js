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
exports.RolesRepository = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("typeorm");
const sql_1 = require("../database/sql");
const role_entity_1 = require("./entities/role.entity");
/** Any constant distinct from the audit chain's; names the lock below. */
const PERMISSION_CHANGES_LOCK_KEY = 0x726f6c;
let RolesRepository = class RolesRepository {
    dataSource;
    sql;
    constructor(dataSource, sql) {
        this.dataSource = dataSource;
        this.sql = sql;
    }
    all(manager) {
        return (manager ?? this.dataSource.manager)
            .getRepository(role_entity_1.Role)
            .find({ order: { name: 'ASC' } });
    }
    findByNames(names, manager) {
        return (manager ?? this.dataSource.manager)
            .getRepository(role_entity_1.Role)
            .find({ where: { name: (0, typeorm_1.In)([...names]) } });
    }
    async setPermissions(manager, name, permissions, now) {
        await manager.update(role_entity_1.Role, { name }, { permissions: [...permissions], updatedAt: now });
    }
    /**
     * Serialises changes that could take the last role manager away (role permissions, account
     * roles or activity), so two concurrent demotions cannot each count on the other.
     */
    lockPermissionChanges(manager) {
        return this.sql.lock(manager, PERMISSION_CHANGES_LOCK_KEY);
    }
    /** Active accounts that hold, through any role, the given permission. */
    async countActiveHolders(manager, permission) {
        const roles = (await this.all(manager))
            .filter((r) => r.permissions.includes(permission))
            .map((r) => r.name);
        if (roles.length === 0)
            return 0;
        const [row] = await this.sql.rows(manager, `SELECT count(DISTINCT a.id) AS n FROM accounts a
        JOIN account_roles ar ON ar.account_id = a.id
        WHERE a.is_active = ? AND ar.role_name IN (${roles.map(() => '?').join(', ')})`, [true, ...roles], { prepare: false });
        return Number(row.n);
    }
};
exports.RolesRepository = RolesRepository;
exports.RolesRepository = RolesRepository = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [typeorm_1.DataSource,
        sql_1.Sql])
], RolesRepository);
//# sourceMappingURL=roles.repository.js.map