"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.RefusalRecorder = void 0;
/**
 * Writes the audit record an error carries (`DomainError.audited`), in its own transaction, after
 * the refused work rolled back. Defined here, provided by the audit feature: the problem filter
 * calls it for every refusal, so no layer audits its refusals in a way of its own.
 */
class RefusalRecorder {
}
exports.RefusalRecorder = RefusalRecorder;
//# sourceMappingURL=refusal-recorder.js.map