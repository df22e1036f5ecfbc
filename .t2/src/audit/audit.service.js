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
exports.AuditService = void 0;
const node_crypto_1 = require("node:crypto");
const common_1 = require("@nestjs/common");
const clock_1 = require("../common/clock");
const logger_1 = require("../common/logging/logger");
const app_config_1 = require("../config/app-config");
const sql_1 = require("../database/sql");
const write_queue_1 = require("../database/write-queue");
const audit_chain_1 = require("./audit-chain");
const audit_events_repository_1 = require("./audit-events.repository");
/**
 * Stored as the head's MAC once the head failed its own: never a valid MAC, so an append on top
 * of a forged or missing head cannot launder it.
 */
const UNTRUSTED_HEAD = 'untrusted';
/**
 * Appends to the audit log: each event continues the keyed hash chain and moves its anchored
 * head, in the transaction of the change it records. Reading and verifying: AuditReader.
 */
let AuditService = class AuditService {
    events;
    sql;
    clock;
    logger;
    keys;
    /**
     * The chain tip as this process last wrote it, kept only where this process is the database's
     * single writer, so an append needs no read. Any rollback forgets it.
     */
    tip;
    constructor(events, sql, clock, writes, config, logger) {
        this.events = events;
        this.sql = sql;
        this.clock = clock;
        this.logger = logger;
        this.keys = audit_chain_1.AuditChainKeys.fromConfig(config);
        writes.onRollback(() => (this.tip = undefined));
    }
    /** A missing head or key ids are reported at start; appends and Verify never trust them. */
    async onModuleInit() {
        if (!(await this.events.chainSchemaIntact())) {
            this.logger.error('the audit chain head or key ids are missing: the audit log was tampered with');
        }
    }
    /**
     * Appends inside the caller's transaction, so the event lands with the change it records, or
     * not at all, and moves the anchored head with it. Appends are serialised: by the write queue
     * on SQLite, by the chain's lock on PostgreSQL.
     */
    async append(manager, entry) {
        await this.events.lockChain(manager);
        const tip = (this.sql.singleWriter ? this.tip : undefined) ?? (await this.readTip(manager));
        const key = this.keys.current;
        const row = {
            seq: tip.seq + 1,
            id: (0, node_crypto_1.randomUUID)(),
            occurredAt: this.clock.now(),
            action: entry.action,
            outcome: entry.outcome,
            actorId: entry.actor?.id ?? null,
            actorName: entry.actor?.name ?? null,
            targetId: entry.target?.id ?? null,
            targetName: entry.target?.name ?? null,
            clientIp: entry.context?.clientIp ?? null,
            userAgent: entry.context?.userAgent ?? null,
            traceId: entry.context?.traceId ?? null,
            details: entry.details === undefined ? null : JSON.stringify(entry.details),
            keyId: key.id,
            prevHash: tip.hash,
        };
        const event = { ...row, hash: (0, audit_chain_1.rowHash)(key, row) };
        const next = { seq: event.seq, hash: event.hash, trusted: tip.trusted };
        // Taken before the writes finish, so the next append in this transaction needs no read.
        if (this.sql.singleWriter)
            this.tip = next;
        try {
            await this.events.insert(manager, event, {
                seq: next.seq,
                hash: next.hash,
                keyId: key.id,
                mac: next.trusted ? (0, audit_chain_1.headMac)(key, next) : UNTRUSTED_HEAD,
            });
        }
        catch (error) {
            this.tip = undefined;
            throw error;
        }
        return event;
    }
    /**
     * The anchored head, or the last row when rows lie beyond it (written without moving it: each
     * is then judged by its own MAC). A cut-off tail is not healed: the next row continues the head.
     */
    async readTip(manager) {
        const row = await this.events.readTip(manager);
        const head = row.seq !== null && row.hash !== null && row.mac !== null
            ? { seq: row.seq, hash: row.hash, key_id: row.key_id, mac: row.mac }
            : undefined;
        if (head?.key_id != null && this.keys.find(head.key_id) === undefined) {
            // Another instance signs with a key this one lacks (a rotation done out of order): writing
            // on would mark the head untrusted for good, so this instance refuses to append instead.
            this.logger.error({ keyId: head.key_id }, 'the audit chain head is signed with a key this instance does not have: list it in MFA_ENCRYPTION_KEYS_PREVIOUS; no audit event is written until then');
            throw new Error('audit chain head signed with an unknown key');
        }
        // The empty chain's unsigned head is trusted only while no row exists: the first append
        // signs it. With rows but an unsigned head, nothing the chain holds is vouched for.
        const trusted = head !== undefined &&
            (this.keys.headIsGenuine(head) || ((0, audit_events_repository_1.isEmptyChainHead)(head) && row.last_seq === null));
        const anchored = { seq: head?.seq ?? 0, hash: head?.hash ?? audit_chain_1.GENESIS_HASH };
        if (row.last_seq !== null && row.last_hash !== null && row.last_seq > anchored.seq) {
            return { seq: row.last_seq, hash: row.last_hash, trusted };
        }
        return { ...anchored, trusted };
    }
};
exports.AuditService = AuditService;
exports.AuditService = AuditService = __decorate([
    (0, common_1.Injectable)(),
    __param(4, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __param(5, (0, common_1.Inject)(logger_1.APP_LOGGER)),
    __metadata("design:paramtypes", [audit_events_repository_1.AuditEventsRepository,
        sql_1.Sql,
        clock_1.Clock,
        write_queue_1.WriteQueue, Object, Object])
], AuditService);
//# sourceMappingURL=audit.service.js.map