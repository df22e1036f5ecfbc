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
exports.AccountListResponse = exports.AccountResponse = exports.ListAccountsQuery = exports.UpdateAccountDto = exports.CreateAccountDto = exports.USER_NAME_PATTERN = void 0;
const swagger_1 = require("@nestjs/swagger");
const class_transformer_1 = require("class-transformer");
const class_validator_1 = require("class-validator");
exports.USER_NAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;
const USER_NAME_MESSAGE = 'userName must be 1 to 64 letters, digits or ._@-';
const PASSWORD_MESSAGE = 'password must be 12 to 128 characters';
// With stopAtFirstError, the decorator nearest a property is checked first: its type goes there.
class CreateAccountDto {
    userName;
    displayName;
    email;
    password;
    roles;
}
exports.CreateAccountDto = CreateAccountDto;
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'alice', pattern: exports.USER_NAME_PATTERN.source }),
    (0, class_validator_1.Matches)(exports.USER_NAME_PATTERN, { message: USER_NAME_MESSAGE }),
    (0, class_validator_1.IsString)(),
    __metadata("design:type", String)
], CreateAccountDto.prototype, "userName", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'Alice Example' }),
    (0, class_validator_1.Length)(1, 200),
    (0, class_validator_1.IsString)(),
    __metadata("design:type", String)
], CreateAccountDto.prototype, "displayName", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'alice@example.com' }),
    (0, class_validator_1.MaxLength)(254),
    (0, class_validator_1.IsEmail)(),
    __metadata("design:type", String)
], CreateAccountDto.prototype, "email", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ minLength: 12, maxLength: 128, format: 'password' }),
    (0, class_validator_1.Length)(12, 128, { message: PASSWORD_MESSAGE }),
    (0, class_validator_1.IsString)(),
    __metadata("design:type", String)
], CreateAccountDto.prototype, "password", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ type: [String], example: ['User'], default: ['User'] }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)({ each: true }),
    (0, class_validator_1.ArrayMaxSize)(20),
    (0, class_validator_1.IsArray)(),
    __metadata("design:type", Array)
], CreateAccountDto.prototype, "roles", void 0);
class UpdateAccountDto {
    displayName;
    email;
    isActive;
    roles;
    password;
    lockedUntil;
}
exports.UpdateAccountDto = UpdateAccountDto;
__decorate([
    (0, swagger_1.ApiPropertyOptional)(),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.Length)(1, 200),
    (0, class_validator_1.IsString)(),
    __metadata("design:type", String)
], UpdateAccountDto.prototype, "displayName", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)(),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.MaxLength)(254),
    (0, class_validator_1.IsEmail)(),
    __metadata("design:type", String)
], UpdateAccountDto.prototype, "email", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)(),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsBoolean)(),
    __metadata("design:type", Boolean)
], UpdateAccountDto.prototype, "isActive", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ type: [String] }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)({ each: true }),
    (0, class_validator_1.ArrayMaxSize)(20),
    (0, class_validator_1.IsArray)(),
    __metadata("design:type", Array)
], UpdateAccountDto.prototype, "roles", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ minLength: 12, maxLength: 128, format: 'password' }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.Length)(12, 128, { message: PASSWORD_MESSAGE }),
    (0, class_validator_1.IsString)(),
    __metadata("design:type", String)
], UpdateAccountDto.prototype, "password", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({
        type: String,
        nullable: true,
        enum: [null],
        description: 'null ends a lock-out (the failed-attempt count starts again)',
    }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.Equals)(null, { message: 'lockedUntil can only be set to null, which ends the lock-out' }),
    __metadata("design:type", void 0)
], UpdateAccountDto.prototype, "lockedUntil", void 0);
class ListAccountsQuery {
    search;
    skip;
    take;
}
exports.ListAccountsQuery = ListAccountsQuery;
__decorate([
    (0, swagger_1.ApiPropertyOptional)({
        description: 'Substring of user name, display name or email (case-insensitive)',
    }),
    (0, class_validator_1.IsOptional)(),
    (0, class_validator_1.IsString)(),
    (0, class_validator_1.MaxLength)(200),
    __metadata("design:type", String)
], ListAccountsQuery.prototype, "search", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ type: 'integer', default: 0, minimum: 0, maximum: 2_147_483_647 }),
    (0, class_validator_1.IsOptional)(),
    (0, class_transformer_1.Type)(() => Number)
    // The type first: class-validator checks the decorator nearest the property first.
    ,
    (0, class_validator_1.Max)(2_147_483_647),
    (0, class_validator_1.Min)(0),
    (0, class_validator_1.IsInt)(),
    __metadata("design:type", Number)
], ListAccountsQuery.prototype, "skip", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({ type: 'integer', default: 50, minimum: 1, maximum: 200 }),
    (0, class_validator_1.IsOptional)(),
    (0, class_transformer_1.Type)(() => Number),
    (0, class_validator_1.Min)(1),
    (0, class_validator_1.Max)(200),
    (0, class_validator_1.IsInt)(),
    __metadata("design:type", Number)
], ListAccountsQuery.prototype, "take", void 0);
class AccountResponse {
    id;
    userName;
    displayName;
    email;
    roles;
    isActive;
    mfaEnabled;
    mfaEnrolledAt;
    lockedUntil;
    createdAt;
}
exports.AccountResponse = AccountResponse;
__decorate([
    (0, swagger_1.ApiProperty)({ format: 'uuid' }),
    __metadata("design:type", String)
], AccountResponse.prototype, "id", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", String)
], AccountResponse.prototype, "userName", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", String)
], AccountResponse.prototype, "displayName", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", String)
], AccountResponse.prototype, "email", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: [String] }),
    __metadata("design:type", Array)
], AccountResponse.prototype, "roles", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", Boolean)
], AccountResponse.prototype, "isActive", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", Boolean)
], AccountResponse.prototype, "mfaEnabled", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: String, format: 'date-time', nullable: true }),
    __metadata("design:type", Object)
], AccountResponse.prototype, "mfaEnrolledAt", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: String, format: 'date-time', nullable: true }),
    __metadata("design:type", Object)
], AccountResponse.prototype, "lockedUntil", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: String, format: 'date-time' }),
    __metadata("design:type", String)
], AccountResponse.prototype, "createdAt", void 0);
class AccountListResponse {
    items;
    totalCount;
}
exports.AccountListResponse = AccountListResponse;
__decorate([
    (0, swagger_1.ApiProperty)({ type: [AccountResponse] }),
    __metadata("design:type", Array)
], AccountListResponse.prototype, "items", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", Number)
], AccountListResponse.prototype, "totalCount", void 0);
//# sourceMappingURL=account.dto.js.map