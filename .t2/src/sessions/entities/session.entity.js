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
exports.Session = void 0;
const typeorm_1 = require("typeorm");
const account_entity_1 = require("../../accounts/entities/account.entity");
/**
 * Every token belongs to a session row. A pre-auth session turns into an access session when
 * the second factor (or the enrolment) succeeds, which also spends the pre-auth token.
 */
let Session = class Session {
    id;
    accountId;
    kind;
    /** The account's security stamp when the session was made: a changed stamp ends it. */
    securityStamp;
    createdAt;
    expiresAt;
    revokedAt;
    /** When this session last proved MFA (second step, enrolment, or step-up): "sudo mode". */
    mfaVerifiedAt;
    clientIp;
    userAgent;
    account;
};
exports.Session = Session;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'uuid' }),
    __metadata("design:type", String)
], Session.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'account_id', type: 'uuid' }),
    __metadata("design:type", String)
], Session.prototype, "accountId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], Session.prototype, "kind", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'security_stamp', type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], Session.prototype, "securityStamp", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'created_at', type: Date }),
    __metadata("design:type", Date)
], Session.prototype, "createdAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'expires_at', type: Date }),
    __metadata("design:type", Date)
], Session.prototype, "expiresAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'revoked_at', type: Date, nullable: true }),
    __metadata("design:type", Object)
], Session.prototype, "revokedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'mfa_verified_at', type: Date, nullable: true }),
    __metadata("design:type", Object)
], Session.prototype, "mfaVerifiedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'client_ip', type: 'varchar', length: 64, nullable: true }),
    __metadata("design:type", Object)
], Session.prototype, "clientIp", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'user_agent', type: 'varchar', length: 512, nullable: true }),
    __metadata("design:type", Object)
], Session.prototype, "userAgent", void 0);
__decorate([
    (0, typeorm_1.ManyToOne)(() => account_entity_1.Account, { onDelete: 'CASCADE' }),
    (0, typeorm_1.JoinColumn)({ name: 'account_id' }),
    __metadata("design:type", account_entity_1.Account)
], Session.prototype, "account", void 0);
exports.Session = Session = __decorate([
    (0, typeorm_1.Entity)({ name: 'sessions' }),
    (0, typeorm_1.Index)('IX_sessions_account_id', ['accountId'])
], Session);
//# sourceMappingURL=session.entity.js.map