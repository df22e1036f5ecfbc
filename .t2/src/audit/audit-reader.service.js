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
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AuditReader = void 0;
exports.toAuditEventResponse = toAuditEventResponse;
const common_1 = require("@nestjs/common");
const app_config_1 = require("../config/app-config");
const write_queue_1 = require("../database/write-queue");
const audit_chain_1 = require("./audit-chain");
const audit_events_repository_1 = require("./audit-events.repository");
/** Rows read per statement when verifying. */
const BATCH = 1000;
/** Reads the audit log: pages of events, and a check of the whole chain. */
let AuditReader = class AuditReader {
    events;
    writes;
    keys;
    constructor(events, writes, config) {
        this.events = events;
        this.writes = writes;
        this.keys = audit_chain_1.AuditChainKeys.fromConfig(config);
    }
    /** Newest first, keyset-paged on the chain position (stable under concurrent appends). */
    async list(query) {
        const take = query.take ?? 50;
        const rows = await this.events.page(query, take);
        const page = rows.slice(0, take);
        return {
            items: page.map(toAuditEventResponse),
            next: rows.length > take ? String(page[page.length - 1].seq) : null,
        };
    }
    /**
     * Walks the chain up to the anchored head, recomputing every MAC, and checks that its last row
     * is the head: an edited, deleted or cut-off event breaks it, and so does a head or a key id
     * that is missing. Events appended after the head was read are left to the next call.
     */
    async verify() {
        if (!(await this.events.chainSchemaIntact())) {
            return { valid: false, count: 0, brokenAt: (await this.events.hasAnyRow()) ? 1 : 0 };
        }
        // Through the write queue: on SQLite a read beside it could see an append's uncommitted head.
        const head = await this.writes.run((m) => this.events.readHead(m));
        if (head !== undefined && (0, audit_events_repository_1.isEmptyChainHead)(head)) {
            // Valid only as the chain before its first event: any row means the head was put back.
            return (await this.events.hasAnyRow())
                ? { valid: false, count: 0, brokenAt: 1 }
                : { valid: true, count: 0 };
        }
        let expectedSeq = 1;
        let prevHash = audit_chain_1.GENESIS_HASH;
        for (;;) {
            // Without a head, every row is walked (for the count); the answer is invalid anyway.
            const batch = await this.events.chainSlice(expectedSeq, head?.seq, BATCH);
            if (batch.length === 0)
                break;
            for (const event of batch) {
                const key = this.keys.find(event.keyId);
                if (event.seq !== expectedSeq ||
                    event.prevHash !== prevHash ||
                    key === undefined ||
                    !(0, audit_chain_1.macMatches)(event.hash, (0, audit_chain_1.rowHash)(key, event))) {
                    return { valid: false, count: expectedSeq - 1, brokenAt: expectedSeq };
                }
                prevHash = event.hash;
                expectedSeq++;
            }
        }
        const count = expectedSeq - 1;
        if (head === undefined ||
            head.seq !== count ||
            head.hash !== prevHash ||
            !this.keys.headIsGenuine(head)) {
            return { valid: false, count, brokenAt: expectedSeq };
        }
        return { valid: true, count };
    }
};
exports.AuditReader = AuditReader;
exports.AuditReader = AuditReader = __decorate([
    (0, common_1.Injectable)(),
    __param(2, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __metadata("design:paramtypes", [audit_events_repository_1.AuditEventsRepository,
        write_queue_1.WriteQueue, Object])
], AuditReader);
function toAuditEventResponse(event) {
    return {
        id: event.id,
        seq: event.seq,
        occurredAt: event.occurredAt.toISOString(),
        action: event.action,
        outcome: event.outcome,
        actorId: event.actorId,
        actorName: event.actorName,
        targetId: event.targetId,
        targetName: event.targetName,
        clientIp: event.clientIp,
        userAgent: event.userAgent,
        traceId: event.traceId,
        details: event.details === null ? null : JSON.parse(event.details),
        hash: event.hash,
    };
}
//# sourceMappingURL=audit-reader.service.js.map