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
exports.ProblemDetailsFilter = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const request_context_1 = require("../http/request-context");
const logger_1 = require("../logging/logger");
const problem_details_1 = require("./problem-details");
const refusal_recorder_1 = require("./refusal-recorder");
const to_domain_error_1 = require("./to-domain-error");
/**
 * The one place where failures become answers: every exception, from a guard, a pipe, a
 * service, the router or the body reader, leaves as RFC 9457 problem details. A refusal that
 * carries an audit record is written to the audit log first.
 */
let ProblemDetailsFilter = class ProblemDetailsFilter {
    logger;
    moduleRef;
    recorder;
    constructor(logger, moduleRef) {
        this.logger = logger;
        this.moduleRef = moduleRef;
    }
    catch(exception, host) {
        const http = host.switchToHttp();
        void this.write(http.getRequest(), http.getResponse(), exception);
    }
    async write(req, reply, exception) {
        // A wrong method on a served path never reaches here as a 404: the method gate answers it.
        const error = (0, to_domain_error_1.toDomainError)(exception);
        if (error.refusal !== undefined)
            await this.recordRefusal(req, error);
        const traceId = req.traceId ?? '';
        const problem = (0, problem_details_1.problemFor)(error, (0, request_context_1.pathOf)(req), traceId);
        if (problem.status >= 500) {
            this.logger.error({
                traceId,
                err: exception instanceof Error
                    ? { type: exception.name, message: exception.message, stack: exception.stack }
                    : String(exception),
            }, 'request failed');
        }
        if (reply.sent || reply.raw.headersSent) {
            reply.raw.end();
            return;
        }
        const headers = { ...problem.headers };
        if (problem.status === 401) {
            // RFC 6750 section 3: error="invalid_token" only when a bearer token was sent.
            headers['WWW-Authenticate'] = /^bearer\s+\S/i.test(req.headers.authorization ?? '')
                ? 'Bearer error="invalid_token"'
                : 'Bearer';
        }
        if (problem.status === 429 && headers['Retry-After'] === undefined) {
            headers['Retry-After'] = String(reply.getHeader('Retry-After') ?? 60);
        }
        // A string body: Fastify sends it with its Content-Length (PowerShell 5.1 shows an error body
        // only then), never chunked.
        void reply
            .code(problem.status)
            .headers(headers)
            .header('Content-Type', problem_details_1.PROBLEM_CONTENT_TYPE)
            .header('Cache-Control', 'no-store')
            .send(JSON.stringify(problem.body));
    }
    findRecorder() {
        try {
            return this.moduleRef.get(refusal_recorder_1.RefusalRecorder, { strict: false });
        }
        catch {
            return null;
        }
    }
    /** A refusal the audit log cannot record is still answered as it is; the failure is logged. */
    async recordRefusal(req, error) {
        this.recorder ??= this.findRecorder();
        if (this.recorder === null || error.refusal === undefined)
            return;
        const principal = req.user;
        const caller = principal === undefined ? undefined : { id: principal.accountId, name: principal.userName };
        try {
            await this.recorder.record(error.refusal, caller, (0, request_context_1.requestContext)(req));
        }
        catch (failure) {
            this.logger.error({ traceId: req.traceId, err: failure instanceof Error ? failure.message : String(failure) }, 'a refusal could not be written to the audit log');
        }
    }
};
exports.ProblemDetailsFilter = ProblemDetailsFilter;
exports.ProblemDetailsFilter = ProblemDetailsFilter = __decorate([
    (0, common_1.Catch)(),
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(logger_1.APP_LOGGER)),
    __metadata("design:paramtypes", [Object, core_1.ModuleRef])
], ProblemDetailsFilter);
//# sourceMappingURL=problem-details.filter.js.map