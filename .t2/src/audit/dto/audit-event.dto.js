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
exports.AuditVerifyResponse = exports.AuditEventPageResponse = exports.AuditEventResponse = exports.ListAuditEventsQuery = void 0;
const swagger_1 = require("@nestjs/swagger");
const class_transformer_1 = require("class-transformer");
const class_validator_1 = require("class-validator");
/** Dates both databases store: a year 0 or -4714 is a 500 waiting to happen on PostgreSQL. */
const EARLIEST = new Date('1970-01-01T00:00:00Z');
const LATEST = new Date('9999-12-31T23:59:59.999Z');
const DATE_RANGE = '$property must be a date between 1970-01-01 and 9999-12-31';
const CURSOR_MESSAGE = 'cursor must be the next value of a previous page';
/** A position in the chain: a 32-bit integer, as the column stores it. */
let IsChainPosition = class IsChainPosition {
    validate(value) {
        return typeof value === 'string' && Number(value) <= 2_147_483_647;
    }
    defaultMessage() {
        return CURSOR_MESSAGE;
    }
};
IsChainPosition = __decorate([
    (0, class_validator_1.ValidatorConstraint)({ name: 'isChainPosition' })
], IsChainPosition);
class ListAuditEventsQuery {
    action;
    actorId;
    targetId;
    since;
    until;
    cursor;
    take;
}
exports.ListAuditEventsQuery = ListAuditEventsQuery;
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ example: 'mfa.reset' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.MaxLength)(64),
    (0, class_validator_1.IsString)(),
    __metadata("design:type", String)
], ListAuditEventsQuery.prototype, "action", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ format: 'uuid' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsUUID)(),
    __metadata("design:type", String)
], ListAuditEventsQuery.prototype, "actorId", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ format: 'uuid' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsUUID)(),
    __metadata("design:type", String)
], ListAuditEventsQuery.prototype, "targetId", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ type: String, format: 'date-time' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_transformer_1.Type)(() => Date),
    (0, class_validator_1.MaxDate)(LATEST, { message: DATE_RANGE }),
    (0, class_validator_1.MinDate)(EARLIEST, { message: DATE_RANGE }),
    (0, class_validator_1.IsDate)(),
    __metadata("design:type", Date)
], ListAuditEventsQuery.prototype, "since", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ type: String, format: 'date-time' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_transformer_1.Type)(() => Date),
    (0, class_validator_1.MaxDate)(LATEST, { message: DATE_RANGE }),
    (0, class_validator_1.MinDate)(EARLIEST, { message: DATE_RANGE }),
    (0, class_validator_1.IsDate)(),
    __metadata("design:type", Date)
], ListAuditEventsQuery.prototype, "until", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ description: 'The `next` value of the previous page' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.Validate)(IsChainPosition),
    (0, class_validator_1.Matches)(/^[1-9][0-9]{0,9}$/, { message: CURSOR_MESSAGE }),
    __metadata("design:type", String)
], ListAuditEventsQuery.prototype, "cursor", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ type: 'integer', default: 50, minimum: 1, maximum: 200 }),
    (0, class_validator_1.IsOptional)(),
    (0, class_transformer_1.Type)(() => Number),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(200),
    (0, class_validator_1.IsInt)(),
    __metadata("design:type", Number)
], ListAuditEventsQuery.prototype, "take", void 0);
class AuditEventResponse {
    id;
    seq;
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
    details;
    hash;
}
exports.AuditEventResponse = AuditEventResponse;
__decorate([
    (0, swagger_1.ApiProperty)({ format: 'uuid' }),
    __metadata("design:type", String)
], AuditEventResponse.prototype, "id", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Position in the hash chain' }),
    __metadata("design:type", Number)
], AuditEventResponse.prototype, "seq", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: String, format: 'date-time' }),
    __metadata("design:type", String)
], AuditEventResponse.prototype, "occurredAt", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'mfa.reset' }),
    __metadata("design:type", String)
], AuditEventResponse.prototype, "action", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ enum: ['success', 'failure', 'denied'] }),
    __metadata("design:type", String)
], AuditEventResponse.prototype, "outcome", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: String, format: 'uuid', nullable: true }),
    __metadata("design:type", Object)
], AuditEventResponse.prototype, "actorId", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: String, nullable: true }),
    __metadata("design:type", Object)
], AuditEventResponse.prototype, "actorName", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: String, format: 'uuid', nullable: true }),
    __metadata("design:type", Object)
], AuditEventResponse.prototype, "targetId", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: String, nullable: true }),
    __metadata("design:type", Object)
], AuditEventResponse.prototype, "targetName", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: String, nullable: true }),
    __metadata("design:type", Object)
], AuditEventResponse.prototype, "clientIp", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: String, nullable: true }),
    __metadata("design:type", Object)
], AuditEventResponse.prototype, "userAgent", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: String, nullable: true }),
    __metadata("design:type", Object)
], AuditEventResponse.prototype, "traceId", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: 'object', additionalProperties: true, nullable: true }),
    __metadata("design:type", Object)
], AuditEventResponse.prototype, "details", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", String)
], AuditEventResponse.prototype, "hash", void 0);
class AuditEventPageResponse {
    items;
    next;
}
exports.AuditEventPageResponse = AuditEventPageResponse;
__decorate([
    (0, swagger_1.ApiProperty)({ type: [AuditEventResponse] }),
    __metadata("design:type", Array)
], AuditEventPageResponse.prototype, "items", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({
        type: String,
        nullable: true,
        description: 'Pass as `cursor` for the next (older) page',
    }),
    __metadata("design:type", Object)
], AuditEventPageResponse.prototype, "next", void 0);
class AuditVerifyResponse {
    valid;
    count;
}
exports.AuditVerifyResponse = AuditVerifyResponse;
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", Boolean)
], AuditVerifyResponse.prototype, "valid", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Events checked' }),
    __metadata("design:type", Number)
], AuditVerifyResponse.prototype, "count", void 0);
//# sourceMappingURL=audit-event.dto.js.map