"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TcpProxy = void 0;
const node_net_1 = require("node:net");
/**
 * A TCP proxy the test can cut (every connection dropped, new ones refused) and restore, or
 * blackhole: a network partition, where connections stay open and new ones are accepted, but
 * nothing is forwarded either way and nothing is ever closed by the far side.
 */
class TcpProxy {
    targetHost;
    targetPort;
    server;
    sockets = new Set();
    /** Connections (both ends) that have been blackholed: silent for the rest of their life. */
    dead = new Set();
    blackholed = false;
    port = 0;
    constructor(targetHost, targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }
    async start() {
        const server = (0, node_net_1.createServer)((client) => {
            this.track(client);
            if (this.blackholed) {
                this.silence(client);
                return;
            }
            const upstream = (0, node_net_1.createConnection)({ host: this.targetHost, port: this.targetPort });
            this.track(upstream);
            client.pipe(upstream).pipe(client);
            client.on('close', () => upstream.destroy());
            upstream.on('close', () => client.destroy());
        });
        await new Promise((resolve) => server.listen(this.port, '127.0.0.1', resolve));
        this.port = server.address().port;
        this.server = server;
        return this.port;
    }
    async cut() {
        const server = this.server;
        this.server = undefined;
        for (const socket of this.sockets)
            socket.destroy();
        if (server)
            await new Promise((resolve) => server.close(() => resolve()));
    }
    async restore() {
        await this.start();
    }
    /**
     * From now on nothing is forwarded on any open connection, and new connections are accepted
     * and then ignored. A connection's close still reaches its other end (so the test leaves no
     * stuck server sessions behind), but no byte does.
     */
    blackhole() {
        this.blackholed = true;
        for (const socket of this.sockets)
            this.silence(socket);
    }
    /**
     * New connections are forwarded again. Those open during the partition stay silent, as when a
     * firewall or NAT has forgotten them: the client has to give them up and open new ones.
     */
    unblackhole() {
        this.blackholed = false;
    }
    /** How many connections are open through the proxy now, silenced ones included. */
    get openConnections() {
        return [...this.sockets].filter((s) => !s.destroyed).length;
    }
    track(socket) {
        this.sockets.add(socket);
        socket.on('close', () => {
            this.sockets.delete(socket);
            this.dead.delete(socket);
        });
        socket.on('error', () => socket.destroy());
    }
    /** Reads and drops whatever arrives; forwards nothing. */
    silence(socket) {
        if (this.dead.has(socket))
            return;
        this.dead.add(socket);
        socket.unpipe();
        socket.removeAllListeners('data');
        socket.on('data', () => { });
        socket.resume();
    }
}
exports.TcpProxy = TcpProxy;
//# sourceMappingURL=tcp-proxy.js.map