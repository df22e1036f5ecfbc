"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.UNKNOWN_ID = exports.VALIDATION_TITLE = exports.USER_NOT_FOUND = exports.NOT_ADMIN = exports.OWN_MFA = exports.ROLES = exports.AUDIT = exports.ACCOUNTS = exports.RESET = void 0;
exports.jwtPayload = jwtPayload;
exports.problemOf = problemOf;
exports.validationProblemOf = validationProblemOf;
exports.resetById = resetById;
exports.resetByName = resetByName;
exports.resetBatch = resetBatch;
exports.resetOwn = resetOwn;
exports.patchAccount = patchAccount;
exports.putRole = putRole;
exports.accountView = accountView;
exports.tokenStatus = tokenStatus;
exports.auditPage = auditPage;
exports.allAuditEvents = allAuditEvents;
exports.verifyChain = verifyChain;
exports.freshAdminToken = freshAdminToken;
exports.enrolledUser = enrolledUser;
exports.freshCode = freshCode;
exports.wrongCode = wrongCode;
exports.uniqueName = uniqueName;
exports.storedMfa = storedMfa;
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const supertest_1 = __importDefault(require("supertest"));
const test_app_1 = require("./test-app");
const totp_1 = require("./totp");
exports.RESET = '/api/v1/ManagedAccount/ResetMFA';
exports.ACCOUNTS = '/api/v1/ManagedAccount';
exports.AUDIT = '/api/v1/AuditEvent';
exports.ROLES = '/api/v1/Role';
exports.OWN_MFA = '/api/v1/Mfa';
exports.NOT_ADMIN = 'User is not an Administrator';
exports.USER_NOT_FOUND = 'User not found';
exports.VALIDATION_TITLE = 'One or more validation errors occurred.';
/** A well-formed uuid that names no account. */
exports.UNKNOWN_ID = '0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90';
/** The decoded (not verified) payload of a JWT. */
function jwtPayload(token) {
    const part = token.split('.')[1];
    strict_1.default.ok(part !== undefined, 'a JWT has three parts');
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}
/** Asserts a problem+json answer with this status and answers its body. */
function problemOf(res, status) {
    strict_1.default.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text.slice(0, 500)}`);
    strict_1.default.match(String(res.headers['content-type']), /^application\/problem\+json/);
    const body = JSON.parse(res.text);
    strict_1.default.equal(body.status, status);
    strict_1.default.equal(typeof body.traceId, 'string');
    return body;
}
/** Asserts a 400 ValidationProblemDetails naming this field in `errors`. */
function validationProblemOf(res, field) {
    const body = problemOf(res, 400);
    strict_1.default.equal(body.title, exports.VALIDATION_TITLE);
    strict_1.default.ok(body.errors, `an errors dictionary: ${res.text}`);
    strict_1.default.ok(Array.isArray(body.errors[field]) && body.errors[field].length > 0, `errors.${field}: ${JSON.stringify(body.errors)}`);
    return body;
}
function withAuth(req, token, proof) {
    if (token !== undefined)
        req.auth(token, { type: 'bearer' });
    if (proof !== undefined) {
        req.set('x-2fa-code', proof.code);
        if (proof.method !== undefined)
            req.set('x-2fa-method', proof.method);
    }
    return req;
}
function resetById(t, token, id, proof) {
    return withAuth((0, supertest_1.default)(t.http).put(`${exports.RESET}/${id}`), token, proof);
}
function resetByName(t, token, name, proof) {
    return withAuth((0, supertest_1.default)(t.http).put(`${exports.RESET}/ByName/${encodeURIComponent(name)}`), token, proof);
}
function resetBatch(t, token, body, proof) {
    return withAuth((0, supertest_1.default)(t.http).put(exports.RESET), token, proof)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body));
}
function resetOwn(t, token, proof) {
    return withAuth((0, supertest_1.default)(t.http).put(`${exports.OWN_MFA}/Reset`), token, proof);
}
function patchAccount(t, token, id, body, proof) {
    return withAuth((0, supertest_1.default)(t.http).patch(`${exports.ACCOUNTS}/${id}`), token, proof).send(body);
}
function putRole(t, token, name, permissions) {
    return withAuth((0, supertest_1.default)(t.http).put(`${exports.ROLES}/${name}`), token).send({ permissions });
}
/** GET /api/v1/ManagedAccount/{id}, as someone allowed to view accounts. */
async function accountView(t, token, id) {
    const res = await withAuth((0, supertest_1.default)(t.http).get(`${exports.ACCOUNTS}/${id}`), token);
    strict_1.default.equal(res.status, 200, res.text);
    return res.body;
}
/** The status GET /api/v1/Mfa answers this token: 200 while its session is valid, else 401. */
async function tokenStatus(t, token) {
    const res = await withAuth((0, supertest_1.default)(t.http).get(exports.OWN_MFA), token);
    return res.status;
}
async function auditPage(t, token, query = {}) {
    const res = await withAuth((0, supertest_1.default)(t.http).get(exports.AUDIT).query(query), token);
    strict_1.default.equal(res.status, 200, res.text);
    return res.body;
}
/** Every audit event matching the filters, following `next` to the end (newest first). */
async function allAuditEvents(t, token, query = {}) {
    const items = [];
    let cursor = null;
    do {
        const page = await auditPage(t, token, {
            ...query,
            take: 200,
            ...(cursor === null ? {} : { cursor }),
        });
        items.push(...page.items);
        cursor = page.next;
    } while (cursor !== null);
    return items;
}
async function verifyChain(t, token) {
    const res = await withAuth((0, supertest_1.default)(t.http).get(`${exports.AUDIT}/Verify`), token);
    strict_1.default.equal(res.status, 200, res.text);
    return res.body;
}
/** A fresh access token of the bootstrap admin: a sign-in is a step-up proof made just now. */
function freshAdminToken(t, admin) {
    return t.signIn('admin', test_app_1.ADMIN_PASSWORD, admin.secret);
}
/** Creates an account with these roles and enrols it: an access token that has just proved MFA. */
async function enrolledUser(t, adminToken, userName, roles = ['User']) {
    const created = await t.createAccount(adminToken, userName, roles);
    return t.enroll(userName, created.password);
}
/** The caller's current code, in a fresh time step (so it is not a replay of the last one). */
async function freshCode(t, secret) {
    t.nextStep();
    return t.code(secret);
}
/** Six digits that match no step inside the drift window (one step each way) right now. */
async function wrongCode(t, secret) {
    const now = t.clock.now().getTime();
    const valid = new Set(await Promise.all([-30_000, 0, 30_000].map((d) => (0, totp_1.totpAt)(secret, new Date(now + d)))));
    for (let n = 123456;; n = (n + 111111) % 1_000_000) {
        const candidate = String(n).padStart(6, '0');
        if (!valid.has(candidate))
            return candidate;
    }
}
/** Unique user names per test, valid for the service (letters, digits, ._@-). */
function uniqueName(prefix) {
    return `${prefix}-${(0, node_crypto_1.randomUUID)().slice(0, 8)}`;
}
/** Raw state of an account's MFA, as stored. */
async function storedMfa(t, id) {
    const [row] = await t.sql('SELECT mfa_secret, mfa_pending_secret, security_stamp FROM accounts WHERE id = ?', [id]);
    strict_1.default.ok(row, `account ${id} exists`);
    const [codes] = await t.sql('SELECT COUNT(*) AS n FROM recovery_codes WHERE account_id = ?', [id]);
    return {
        hasSecret: row.mfa_secret !== null,
        hasPending: row.mfa_pending_secret !== null,
        recoveryCodes: Number(codes.n),
        stamp: row.security_stamp,
    };
}
//# sourceMappingURL=reset-helpers.js.map