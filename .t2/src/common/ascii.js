"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.asciiLower = asciiLower;
/**
 * Lower-cases A-Z only. User names and codes are ASCII: a non-ASCII character never folds into
 * one (`toLowerCase()` turns the Kelvin sign U+212A into `k`, and so a look-up of `Kate` spelt
 * with it into `kate`).
 */
function asciiLower(text) {
    return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}
//# sourceMappingURL=ascii.js.map