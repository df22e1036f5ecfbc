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
exports.StepUpGuard = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const step_up_service_1 = require("../../mfa/step-up.service");
const request_context_1 = require("../../common/http/request-context");
const auth_decorators_1 = require("../../common/auth/auth.decorators");
const principal_1 = require("../../common/auth/principal");
/** After the permission guard: 401, then 403, then 400 totp-required/totp-invalid. */
let StepUpGuard = class StepUpGuard {
    reflector;
    stepUp;
    moduleRef;
    constructor(reflector, stepUp, moduleRef) {
        this.reflector = reflector;
        this.stepUp = stepUp;
        this.moduleRef = moduleRef;
    }
    async canActivate(context) {
        const requirement = this.reflector.getAllAndOverride(auth_decorators_1.STEP_UP, [
            context.getHandler(),
            context.getClass(),
        ]);
        const req = context.switchToHttp().getRequest();
        const proof = { code: (0, request_context_1.headerOf)(req, 'x-2fa-code'), method: (0, request_context_1.headerOf)(req, 'x-2fa-method') };
        const needed = requirement !== undefined &&
            (!requirement.when || requirement.when(req.body)) &&
            (!requirement.condition ||
                (await this.moduleRef.get(requirement.condition, { strict: false }).applies(req.body)));
        if (!needed) {
            // API.md: a code sent in x-2fa-code on any call is a proof, checked and spent there too.
            const principal = req.user;
            if (proof.code === undefined || principal?.tokenKind !== 'access')
                return true;
            await this.stepUp.demand(principal, proof, (0, request_context_1.requestContext)(req));
            return true;
        }
        await this.stepUp.demand((0, principal_1.principalOf)(req), proof, (0, request_context_1.requestContext)(req));
        return true;
    }
};
exports.StepUpGuard = StepUpGuard;
exports.StepUpGuard = StepUpGuard = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [core_1.Reflector,
        step_up_service_1.StepUpService,
        core_1.ModuleRef])
], StepUpGuard);
//# sourceMappingURL=step-up.guard.js.map