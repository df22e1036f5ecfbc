"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ResetBatchBodyPipe = void 0;
const common_1 = require("@nestjs/common");
const domain_error_1 = require("../common/problem/domain-error");
const uuid_param_pipe_1 = require("../common/validation/uuid-param.pipe");
const mfa_reset_dto_1 = require("./dto/mfa-reset.dto");
const ascii_1 = require("../common/ascii");
const MAX_NAMED_ERRORS = 200;
/**
 * The batch body: `["id", ...]` (as Zabbix takes it) or `{"ids": [...]}` (name in any case).
 * Ids are uuids, at most 1000, duplicates folded; the answer keeps the first-seen order.
 */
let ResetBatchBodyPipe = class ResetBatchBodyPipe {
    transform(body) {
        let ids = body;
        if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
            const entry = Object.entries(body).find(([k]) => (0, ascii_1.asciiLower)(k) === 'ids');
            ids = entry?.[1];
        }
        if (!Array.isArray(ids)) {
            throw domain_error_1.DomainError.validation({
                ids: ['A JSON array of account ids, or {"ids": [...]}, is required.'],
            });
        }
        if (ids.length === 0)
            throw domain_error_1.DomainError.validation({ ids: ['At least one id is required.'] });
        const errors = {};
        let count = 0;
        // At most 200 entries named, as ASP.NET Core caps its model errors: the answer stays small.
        for (const [index, id] of ids.entries()) {
            if ((0, uuid_param_pipe_1.isUuid)(id))
                continue;
            errors[`ids[${index}]`] = [`The value '${String(id).slice(0, 64)}' is not valid.`];
            if (++count === MAX_NAMED_ERRORS)
                break;
        }
        if (Object.keys(errors).length > 0)
            throw domain_error_1.DomainError.validation(errors);
        // The limit counts accounts, not entries: a repeated id is one account (the body limit bounds
        // how many entries there can be).
        const folded = [...new Set(ids.map((id) => id.toLowerCase()))];
        if (folded.length > mfa_reset_dto_1.MAX_BATCH_IDS) {
            throw domain_error_1.DomainError.validation({
                ids: [`At most ${mfa_reset_dto_1.MAX_BATCH_IDS} ids can be reset in one call.`],
            });
        }
        return folded;
    }
};
exports.ResetBatchBodyPipe = ResetBatchBodyPipe;
exports.ResetBatchBodyPipe = ResetBatchBodyPipe = __decorate([
    (0, common_1.Injectable)()
], ResetBatchBodyPipe);
//# sourceMappingURL=reset-batch-body.pipe.js.map