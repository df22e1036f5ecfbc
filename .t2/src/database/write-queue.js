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
exports.WriteQueue = void 0;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("typeorm");
const MAX_ATTEMPTS = 6;
/** PostgreSQL's serialization_failure (40001) and deadlock_detected (40P01): safe to run again. */
function isRetryable(error) {
    const code = error.driverError?.code ??
        error.code;
    return code === '40001' || code === '40P01';
}
/** The most transactions one SQLite commit carries. */
const MAX_GROUP = 128;
/**
 * The one way to write: a queue of transactions (group commit on SQLite, retries on PostgreSQL). TypeORM's sqlite driver shares a single connection, so concurrent
 * `transaction()` calls would nest as savepoints and lose writes: on SQLite the queue owns the
 * writing. Work that arrives while a commit is under way waits, and everything that waited is
 * then committed together in one transaction (group commit): one BEGIN/COMMIT and one WAL write
 * for many requests. If one unit of work throws, the group is rolled back and each unit runs
 * again in a transaction of its own, so a failure never takes another request's change with it
 * (units are database work only, and safe to run again after a rollback). On PostgreSQL
 * transactions run concurrently and are retried on serialization failures and deadlocks.
 */
let WriteQueue = class WriteQueue {
    dataSource;
    serial;
    queue = [];
    committing = false;
    rollbackListeners = [];
    constructor(dataSource) {
        this.dataSource = dataSource;
        this.serial = dataSource.options.type === 'sqlite';
    }
    /** Called after any SQLite rollback: state cached from inside a transaction is stale. */
    onRollback(listener) {
        this.rollbackListeners.push(listener);
    }
    run(work) {
        if (!this.serial)
            return this.withRetries(work);
        return new Promise((resolve, reject) => {
            this.queue.push({ work, resolve: resolve, reject });
            this.drain();
        });
    }
    async withRetries(work) {
        for (let attempt = 1;; attempt++) {
            try {
                return await this.dataSource.transaction(work);
            }
            catch (error) {
                if (attempt >= MAX_ATTEMPTS || !isRetryable(error))
                    throw error;
                await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
            }
        }
    }
    drain() {
        if (this.committing || this.queue.length === 0)
            return;
        this.committing = true;
        const group = this.queue.splice(0, MAX_GROUP);
        void this.commit(group).finally(() => {
            this.committing = false;
            this.drain();
        });
    }
    async commit(group) {
        if (group.length > 1) {
            try {
                const results = await this.dataSource.transaction(async (manager) => {
                    const out = [];
                    for (const unit of group)
                        out.push(await unit.work(manager));
                    return out;
                });
                group.forEach((unit, i) => unit.resolve(results[i]));
                return;
            }
            catch {
                this.rolledBack();
            }
        }
        for (const unit of group) {
            try {
                unit.resolve(await this.dataSource.transaction(unit.work));
            }
            catch (error) {
                this.rolledBack();
                unit.reject(error);
            }
        }
    }
    rolledBack() {
        for (const listener of this.rollbackListeners)
            listener();
    }
};
exports.WriteQueue = WriteQueue;
exports.WriteQueue = WriteQueue = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [typeorm_1.DataSource])
], WriteQueue);
//# sourceMappingURL=write-queue.js.map