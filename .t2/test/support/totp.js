"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.totpAt = totpAt;
const otplib_1 = require("otplib");
/** The code an authenticator app would show at this moment. */
function totpAt(secret, at) {
    return (0, otplib_1.generate)({ secret, epoch: Math.floor(at.getTime() / 1000) });
}
//# sourceMappingURL=totp.js.map