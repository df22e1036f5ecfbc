"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.rawRequest = rawRequest;
const node_http_1 = require("node:http");
/**
 * One request with exactly the headers given (node adds only Host). With `Expect: 100-continue`
 * the body is held back until the server says 100 Continue, as .NET's HttpClient does.
 */
function rawRequest(port, method, path, headers, body, agent) {
    return new Promise((resolve, reject) => {
        let continued = false;
        const req = (0, node_http_1.request)({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                text: Buffer.concat(chunks).toString('utf8'),
                continued,
            }));
        });
        req.on('error', reject);
        const expectsContinue = Object.entries(headers).some(([k, v]) => k.toLowerCase() === 'expect' && v.toLowerCase() === '100-continue');
        if (expectsContinue && body !== undefined) {
            req.on('continue', () => {
                continued = true;
                req.end(body);
            });
        }
        else {
            req.end(body);
        }
    });
}
//# sourceMappingURL=raw-http.js.map