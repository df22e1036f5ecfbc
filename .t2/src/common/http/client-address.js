"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rateLimitKey = rateLimitKey;
const node_net_1 = require("node:net");
/**
 * The key a per-address limit counts a client by: an IPv4 address as it is (also when written
 * IPv4-mapped, `::ffff:192.0.2.1`), an IPv6 address by its /64, since one subscriber is usually
 * handed a whole /64 and could otherwise take a fresh address for every attempt.
 */
function rateLimitKey(address) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped)
        return mapped[1];
    const zoneless = address.split('%')[0];
    if (!(0, node_net_1.isIPv6)(zoneless))
        return address;
    return `${expandIPv6(zoneless).slice(0, 4).join(':')}::/64`;
}
/** The eight 16-bit groups of an IPv6 address, lower-case, without leading zeros. */
function expandIPv6(address) {
    let text = address.toLowerCase();
    // A trailing dotted IPv4 part (`::1.2.3.4`) is two groups.
    const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
    if (dotted) {
        const [a, b, c, d] = dotted.slice(1).map(Number);
        text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    }
    const [head, tail] = text.split('::');
    const left = head === '' ? [] : head.split(':');
    const right = tail === undefined || tail === '' ? [] : tail.split(':');
    const missing = tail === undefined ? 0 : 8 - left.length - right.length;
    return [...left, ...Array(missing).fill('0'), ...right].map((g) => parseInt(g, 16).toString(16));
}
//# sourceMappingURL=client-address.js.map