"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HTTP_METRICS = void 0;
exports.HTTP_METRICS = Symbol('HTTP_METRICS');
//# sourceMappingURL=metrics.provider.js.map