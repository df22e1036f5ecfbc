"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const random_1 = require("./random");
(0, node_test_1.describe)('randomHex', () => {
    (0, node_test_1.it)('answers the asked number of bytes as lower-case hex', () => {
        for (const bytes of [1, 8, 16, 32, 256]) {
            strict_1.default.match((0, random_1.randomHex)(bytes), new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
        }
    });
    (0, node_test_1.it)('never hands out the same bytes twice, across many pool refills', () => {
        const seen = new Set();
        // 5,000 x 16 bytes is ten refills of the 8 KiB pool.
        for (let i = 0; i < 5000; i++)
            seen.add((0, random_1.randomHex)(16));
        strict_1.default.equal(seen.size, 5000);
    });
    (0, node_test_1.it)('is not constant within a pool: every byte value turns up', () => {
        const bytes = Buffer.from(Array.from({ length: 64 }, () => (0, random_1.randomHex)(64)).join(''), 'hex');
        strict_1.default.equal(new Set(bytes).size, 256);
    });
    (0, node_test_1.it)('refuses sizes it cannot serve', () => {
        for (const bytes of [0, -1, 1.5, 257, Number.NaN]) {
            strict_1.default.throws(() => (0, random_1.randomHex)(bytes), RangeError);
        }
    });
});
//# sourceMappingURL=random.spec.js.map