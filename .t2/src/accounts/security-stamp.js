"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.newSecurityStamp = newSecurityStamp;
const random_1 = require("../common/random");
/** A new stamp ends every session made under the old one (each session records its stamp). */
function newSecurityStamp() {
    return (0, random_1.randomHex)(16);
}
//# sourceMappingURL=security-stamp.js.map