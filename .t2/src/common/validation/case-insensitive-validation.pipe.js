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
exports.CaseInsensitiveValidationPipe = void 0;
const common_1 = require("@nestjs/common");
const class_validator_1 = require("class-validator");
const body_reader_1 = require("../http/body-reader");
const domain_error_1 = require("../problem/domain-error");
const ascii_1 = require("../ascii");
function flatten(errors, prefix = '', into = {}) {
    for (const error of errors) {
        const field = prefix === '' ? error.property : `${prefix}.${error.property}`;
        const messages = Object.values(error.constraints ?? {});
        if (messages.length > 0)
            (into[field] ??= []).push(...messages);
        if (error.children && error.children.length > 0)
            flatten(error.children, field, into);
    }
    return into;
}
function fieldWithNul(value, name) {
    if (typeof value === 'string')
        return value.includes('\u0000') ? name : undefined;
    if (Array.isArray(value)) {
        for (const item of value)
            if (fieldWithNul(item, name) !== undefined)
                return name;
        return undefined;
    }
    if (isPlainObject(value)) {
        for (const [key, item] of Object.entries(value)) {
            const found = fieldWithNul(item, key);
            if (found !== undefined)
                return found;
        }
    }
    return undefined;
}
function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/**
 * class-validator DTOs, read the way ASP.NET Core reads JSON: property names are matched
 * case-insensitively (`Login` fills `login`); unknown properties are dropped; failures are a
 * ValidationProblemDetails `errors` dictionary keyed by the DTO's property names.
 */
let CaseInsensitiveValidationPipe = class CaseInsensitiveValidationPipe extends common_1.ValidationPipe {
    constructor() {
        super({
            transform: true,
            whitelist: true,
            forbidUnknownValues: true,
            // One message a field, the first rule it breaks ("must be an integer", not also "must not
            // be less than 0" for ?skip=abc), as ASP.NET Core reports a value it cannot bind.
            stopAtFirstError: true,
            validationError: { target: false, value: false },
            exceptionFactory: (errors) => domain_error_1.DomainError.validation(flatten(errors)),
        });
    }
    async transform(value, metadata) {
        if (metadata.type === 'body' && value instanceof body_reader_1.UnreadableBody)
            throw value.error;
        // A NUL in a path or query value (`%00`) is refused before any database sees it.
        if (metadata.type === 'query' || metadata.type === 'param') {
            const field = fieldWithNul(value, metadata.data ?? '$');
            if (field !== undefined) {
                throw domain_error_1.DomainError.validation({ [field]: ['The value must not contain NUL characters.'] });
            }
        }
        const metatype = metadata.metatype;
        if (metatype && metadata.type !== 'custom' && this.isDto(metatype)) {
            if (metadata.type === 'body' && !isPlainObject(value)) {
                throw domain_error_1.DomainError.validation({ $: ['A JSON object is required.'] });
            }
            value = this.matchPropertyNames(value, metatype);
            // A repeated query parameter binds its first value, as ASP.NET Core binds a scalar.
            if (metadata.type === 'query' && isPlainObject(value)) {
                value = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
            }
        }
        return super.transform(value, metadata);
    }
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    isDto(metatype) {
        return (0, class_validator_1.getMetadataStorage)().getTargetValidationMetadatas(metatype, '', true, false).length > 0;
    }
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    matchPropertyNames(value, metatype) {
        if (!isPlainObject(value))
            return value;
        const known = new Map();
        for (const meta of (0, class_validator_1.getMetadataStorage)().getTargetValidationMetadatas(metatype, '', true, false)) {
            known.set((0, ascii_1.asciiLower)(meta.propertyName), meta.propertyName);
        }
        const result = {};
        for (const [key, item] of Object.entries(value)) {
            result[known.get((0, ascii_1.asciiLower)(key)) ?? key] = item;
        }
        return result;
    }
};
exports.CaseInsensitiveValidationPipe = CaseInsensitiveValidationPipe;
exports.CaseInsensitiveValidationPipe = CaseInsensitiveValidationPipe = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [])
], CaseInsensitiveValidationPipe);
//# sourceMappingURL=case-insensitive-validation.pipe.js.map