"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.securityHeaders = securityHeaders;
const helmet_1 = __importDefault(require("helmet"));
/**
 * Helmet's headers, worked out once at start, with `extra` ones. With fixed options helmet
 * always sets the same constant headers, but it walks a dozen middlewares per request to do it.
 */
function securityHeaders(options, extra = {}) {
    const set = {};
    const recorder = {
        setHeader: (name, value) => (set[name] = String(value)),
        removeHeader: () => undefined,
    };
    let finished = false;
    (0, helmet_1.default)(options)({}, recorder, (error) => {
        if (error !== undefined)
            throw error instanceof Error ? error : new Error('helmet failed');
        finished = true;
    });
    if (!finished || Object.keys(set).length === 0)
        throw new Error('helmet did not set its headers at once');
    return Object.freeze({ ...set, ...extra });
}
//# sourceMappingURL=security-headers.js.map