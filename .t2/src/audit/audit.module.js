"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AuditModule = void 0;
const common_1 = require("@nestjs/common");
const refusal_recorder_1 = require("../common/problem/refusal-recorder");
const audit_refusal_recorder_1 = require("./audit-refusal-recorder");
const audit_events_repository_1 = require("./audit-events.repository");
const audit_reader_service_1 = require("./audit-reader.service");
const audit_controller_1 = require("./audit.controller");
const audit_service_1 = require("./audit.service");
let AuditModule = class AuditModule {
};
exports.AuditModule = AuditModule;
exports.AuditModule = AuditModule = __decorate([
    (0, common_1.Module)({
        controllers: [audit_controller_1.AuditController],
        providers: [
            audit_events_repository_1.AuditEventsRepository,
            audit_service_1.AuditService,
            audit_reader_service_1.AuditReader,
            { provide: refusal_recorder_1.RefusalRecorder, useClass: audit_refusal_recorder_1.AuditRefusalRecorder },
        ],
        exports: [audit_service_1.AuditService],
    })
], AuditModule);
//# sourceMappingURL=audit.module.js.map