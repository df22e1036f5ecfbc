"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.UuidParamPipe = void 0;
exports.isUuid = isUuid;
const common_1 = require("@nestjs/common");
const domain_error_1 = require("../problem/domain-error");
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isUuid(value) {
    return typeof value === 'string' && UUID.test(value);
}
/** A path id that is not a uuid is a 400 naming the parameter, as ASP.NET's model binding does. */
let UuidParamPipe = class UuidParamPipe {
    transform(value, metadata) {
        if (!UUID.test(value)) {
            const name = metadata.data ?? 'id';
            throw domain_error_1.DomainError.validation({
                [name]: [`The value '${String(value).slice(0, 64)}' is not valid.`],
            });
        }
        return value.toLowerCase();
    }
};
exports.UuidParamPipe = UuidParamPipe;
exports.UuidParamPipe = UuidParamPipe = __decorate([
    (0, common_1.Injectable)()
], UuidParamPipe);
//# sourceMappingURL=uuid-param.pipe.js.map