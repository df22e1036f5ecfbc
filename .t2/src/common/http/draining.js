"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startDraining = startDraining;
exports.drainingHook = drainingHook;
let draining = false;
/** From SIGTERM on, every answer closes its connection, so keep-alive clients cannot hold the exit. */
function startDraining() {
    draining = true;
}
function drainingHook(_req, reply, done) {
    if (draining)
        reply.header('Connection', 'close');
    done();
}
//# sourceMappingURL=draining.js.map