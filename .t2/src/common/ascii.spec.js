"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const ascii_1 = require("./ascii");
(0, node_test_1.describe)('asciiLower', () => {
    (0, node_test_1.it)('lower-cases A-Z and leaves everything else as it is', () => {
        strict_1.default.equal((0, ascii_1.asciiLower)('Admin.User@Example-1'), 'admin.user@example-1');
        strict_1.default.equal((0, ascii_1.asciiLower)('\u212Aate'), '\u212Aate', 'the Kelvin sign is not a K');
        strict_1.default.equal((0, ascii_1.asciiLower)('\u0130stanbul'), '\u0130stanbul', 'nor the dotted capital I an i');
        strict_1.default.equal((0, ascii_1.asciiLower)('ÄÖÜ'), 'ÄÖÜ');
    });
});
//# sourceMappingURL=ascii.spec.js.map