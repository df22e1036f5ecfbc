"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const client_address_1 = require("./client-address");
(0, node_test_1.describe)('rateLimitKey', () => {
    (0, node_test_1.it)('counts an IPv4 client by its address, also when written IPv4-mapped', () => {
        strict_1.default.equal((0, client_address_1.rateLimitKey)('192.0.2.1'), '192.0.2.1');
        strict_1.default.equal((0, client_address_1.rateLimitKey)('::ffff:192.0.2.1'), '192.0.2.1');
    });
    (0, node_test_1.it)('counts every address of one IPv6 /64 as one client, however it is written', () => {
        const key = (0, client_address_1.rateLimitKey)('2001:db8:1:2::1');
        strict_1.default.equal(key, '2001:db8:1:2::/64');
        for (const same of [
            '2001:db8:1:2:ffff:ffff:ffff:ffff',
            '2001:0DB8:0001:0002:0:0:0:2',
            '2001:db8:1:2:a:b:0.0.0.1',
            '2001:db8:1:2::1%eth0',
        ]) {
            strict_1.default.equal((0, client_address_1.rateLimitKey)(same), key, same);
        }
        strict_1.default.notEqual((0, client_address_1.rateLimitKey)('2001:db8:1:3::1'), key, 'the next /64 is another client');
        strict_1.default.equal((0, client_address_1.rateLimitKey)('::1'), '0:0:0:0::/64');
    });
});
//# sourceMappingURL=client-address.spec.js.map