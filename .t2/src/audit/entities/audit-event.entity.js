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
exports.AuditEvent = void 0;
const typeorm_1 = require("typeorm");
/**
 * Append-only and hash-chained: `hash` is an HMAC, under a key the database does not hold, of this
 * row's fields and the previous row's hash, so an edited or deleted row breaks the chain from there
 * on; the table `audit_chain_head` anchors the last row, so a cut-off tail is detected too.
 */
let AuditEvent = class AuditEvent {
    /** Position in the chain; 1, 2, 3 ... with no gaps. */
    seq;
    id;
    occurredAt;
    action;
    outcome;
    actorId;
    actorName;
    targetId;
    targetName;
    clientIp;
    userAgent;
    traceId;
    /** JSON object with action-specific facts; never a secret. */
    details;
    /** Which MFA encryption key the chain key of `hash` derives from. */
    keyId;
    prevHash;
    hash;
};
exports.AuditEvent = AuditEvent;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'integer' }),
    __metadata("design:type", Number)
], AuditEvent.prototype, "seq", void 0);
__decorate([
    (0, typeorm_1.Index)('UQ_audit_events_id', { unique: true }),
    (0, typeorm_1.Column)({ type: 'uuid' }),
    __metadata("design:type", String)
], AuditEvent.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'occurred_at', type: Date }),
    __metadata("design:type", Date)
], AuditEvent.prototype, "occurredAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], AuditEvent.prototype, "action", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], AuditEvent.prototype, "outcome", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'actor_id', type: 'uuid', nullable: true }),
    __metadata("design:type", Object)
], AuditEvent.prototype, "actorId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'actor_name', type: 'varchar', length: 64, nullable: true }),
    __metadata("design:type", Object)
], AuditEvent.prototype, "actorName", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'target_id', type: 'uuid', nullable: true }),
    __metadata("design:type", Object)
], AuditEvent.prototype, "targetId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'target_name', type: 'varchar', length: 64, nullable: true }),
    __metadata("design:type", Object)
], AuditEvent.prototype, "targetName", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'client_ip', type: 'varchar', length: 64, nullable: true }),
    __metadata("design:type", Object)
], AuditEvent.prototype, "clientIp", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'user_agent', type: 'varchar', length: 512, nullable: true }),
    __metadata("design:type", Object)
], AuditEvent.prototype, "userAgent", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'trace_id', type: 'varchar', length: 64, nullable: true }),
    __metadata("design:type", Object)
], AuditEvent.prototype, "traceId", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'text', nullable: true }),
    __metadata("design:type", Object)
], AuditEvent.prototype, "details", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'key_id', type: 'varchar', length: 16 }),
    __metadata("design:type", String)
], AuditEvent.prototype, "keyId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'prev_hash', type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], AuditEvent.prototype, "prevHash", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], AuditEvent.prototype, "hash", void 0);
exports.AuditEvent = AuditEvent = __decorate([
    (0, typeorm_1.Entity)({ name: 'audit_events' }),
    (0, typeorm_1.Index)('IX_audit_events_action', ['action', 'seq']),
    (0, typeorm_1.Index)('IX_audit_events_actor', ['actorId', 'seq']),
    (0, typeorm_1.Index)('IX_audit_events_target', ['targetId', 'seq']),
    (0, typeorm_1.Index)('IX_audit_events_occurred_at', ['occurredAt'])
], AuditEvent);
//# sourceMappingURL=audit-event.entity.js.map