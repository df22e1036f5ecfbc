"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FakeClock = void 0;
const clock_1 = require("../../src/common/clock");
/** A clock the test moves: TOTP steps, lock-outs and expiries without waiting. */
class FakeClock extends clock_1.Clock {
    time;
    constructor(start = Date.now()) {
        super();
        this.time = start;
    }
    now() {
        return new Date(this.time);
    }
    advance(seconds) {
        this.time += seconds * 1000;
    }
}
exports.FakeClock = FakeClock;
//# sourceMappingURL=fake-clock.js.map