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
exports.AuditEventsRepository = void 0;
exports.isEmptyChainHead = isEmptyChainHead;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("typeorm");
const sql_1 = require("../database/sql");
const audit_chain_1 = require("./audit-chain");
const audit_event_entity_1 = require("./entities/audit-event.entity");
/** Any constant works; it names the lock that serialises appends on a shared database. */
const CHAIN_LOCK_KEY = 0x6d6661;
/** An append's row; its columns in `chainFields` order, then the hash. */
const INSERT_EVENT = `INSERT INTO audit_events (seq, id, occurred_at, action, outcome, actor_id,
  actor_name, target_id, target_name, client_ip, user_agent, trace_id, details, key_id, prev_hash,
  hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
/** Moves the anchored head in the append's transaction. */
const UPDATE_HEAD = 'UPDATE audit_chain_head SET seq = ?, hash = ?, key_id = ?, mac = ? WHERE id = 1';
/** The head (all null when its row is missing) and the last row (null when there is none). */
const READ_TIP = `SELECT h.seq, h.hash, h.key_id, h.mac, l.seq AS last_seq, l.hash AS last_hash
  FROM (SELECT 1 AS one) o
  LEFT JOIN audit_chain_head h ON h.id = 1
  LEFT JOIN (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1) l ON 1 = 1`;
/** The head as the schema creates it, before the first event: position 0, unsigned. */
function isEmptyChainHead(head) {
    return head.seq === 0 && head.hash === audit_chain_1.GENESIS_HASH && head.key_id === null && head.mac === '';
}
/** The audit log's rows and its anchored head. Rows are only ever inserted. */
let AuditEventsRepository = class AuditEventsRepository {
    dataSource;
    sql;
    constructor(dataSource, sql) {
        this.dataSource = dataSource;
        this.sql = sql;
    }
    /** Holds the chain's lock to the end of the transaction (appends one at a time). */
    lockChain(manager) {
        return this.sql.lock(manager, CHAIN_LOCK_KEY);
    }
    async readTip(manager) {
        const [row] = await this.sql.rows(manager, READ_TIP, []);
        return row;
    }
    async readHead(manager) {
        const [row] = await this.sql.rows(manager, 'SELECT seq, hash, key_id, mac FROM audit_chain_head WHERE id = 1', []);
        return row;
    }
    /** The row and the moved head, sent together. */
    async insert(manager, event, head) {
        const row = [...(0, audit_chain_1.chainFields)(event, this.sql.time(event.occurredAt)), event.hash];
        await this.sql.together(() => this.sql.run(manager, INSERT_EVENT, row), () => this.sql.run(manager, UPDATE_HEAD, [head.seq, head.hash, head.keyId, head.mac]));
    }
    /** Newest first, `take + 1` rows (the extra one tells whether a next page exists). */
    page(query, take) {
        const builder = this.dataSource
            .getRepository(audit_event_entity_1.AuditEvent)
            .createQueryBuilder('e')
            .orderBy('e.seq', 'DESC')
            .limit(take + 1);
        if (query.action !== undefined)
            builder.andWhere('e.action = :action', { action: query.action });
        if (query.actorId !== undefined)
            builder.andWhere('e.actorId = :actorId', { actorId: query.actorId.toLowerCase() });
        if (query.targetId !== undefined)
            builder.andWhere('e.targetId = :targetId', { targetId: query.targetId.toLowerCase() });
        if (query.since !== undefined)
            builder.andWhere('e.occurredAt >= :since', { since: this.sql.time(query.since) });
        if (query.until !== undefined)
            builder.andWhere('e.occurredAt < :until', { until: this.sql.time(query.until) });
        if (query.cursor !== undefined)
            builder.andWhere('e.seq < :cursor', { cursor: Number(query.cursor) });
        return builder.getMany();
    }
    /** Up to `limit` rows in chain order from position `from`, to `to` when given. */
    chainSlice(from, to, limit) {
        const query = this.dataSource
            .getRepository(audit_event_entity_1.AuditEvent)
            .createQueryBuilder('e')
            .where('e.seq >= :from', { from })
            .orderBy('e.seq', 'ASC')
            .limit(limit);
        if (to !== undefined)
            query.andWhere('e.seq <= :to', { to });
        return query.getMany();
    }
    async hasAnyRow() {
        const rows = await this.sql.rows(undefined, 'SELECT seq FROM audit_events LIMIT 1', []);
        return rows.length > 0;
    }
    /** Whether the keyed chain's head table and key ids are still there. */
    async chainSchemaIntact() {
        return ((await this.sql.hasColumn('audit_chain_head', 'mac')) &&
            (await this.sql.hasColumn('audit_events', 'key_id')));
    }
};
exports.AuditEventsRepository = AuditEventsRepository;
exports.AuditEventsRepository = AuditEventsRepository = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [typeorm_1.DataSource,
        sql_1.Sql])
], AuditEventsRepository);
//# sourceMappingURL=audit-events.repository.js.map