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
exports.AuditRefusalRecorder = void 0;
const common_1 = require("@nestjs/common");
const refusal_recorder_1 = require("../common/problem/refusal-recorder");
const write_queue_1 = require("../database/write-queue");
const audit_action_1 = require("./audit-action");
const audit_service_1 = require("./audit.service");
/** Every audited refusal, from any layer, in a transaction of its own. */
let AuditRefusalRecorder = class AuditRefusalRecorder extends refusal_recorder_1.RefusalRecorder {
    writes;
    audit;
    constructor(writes, audit) {
        super();
        this.writes = writes;
        this.audit = audit;
    }
    async record(refusal, caller, context) {
        const action = (0, audit_action_1.isAuditAction)(refusal.action) ? refusal.action : audit_action_1.AuditAction.AccessDenied;
        await this.writes.run((m) => this.audit.append(m, {
            action,
            outcome: refusal.outcome ?? 'denied',
            actor: refusal.actor ?? caller,
            target: refusal.target,
            context,
            details: refusal.details,
        }));
    }
};
exports.AuditRefusalRecorder = AuditRefusalRecorder;
exports.AuditRefusalRecorder = AuditRefusalRecorder = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [write_queue_1.WriteQueue,
        audit_service_1.AuditService])
], AuditRefusalRecorder);
//# sourceMappingURL=audit-refusal-recorder.js.map