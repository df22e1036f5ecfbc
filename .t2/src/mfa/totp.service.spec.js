"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const node_test_1 = require("node:test");
const app_config_1 = require("../config/app-config");
const totp_service_1 = require("./totp.service");
/** RFC 6238 appendix B: the SHA-1 seed "12345678901234567890", base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
/** RFC 6238 appendix B, SHA-1 rows: the time and the 8-digit value; apps show its last six. */
const RFC_VECTORS = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
];
const at = (seconds) => new Date(seconds * 1000);
const stepOf = (seconds) => Math.floor(seconds / totp_service_1.TOTP_PERIOD_SECONDS);
(0, node_test_1.describe)('TotpService', () => {
    let dir;
    let totp;
    (0, node_test_1.before)(() => {
        dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'mfa-admin-totp-'));
        totp = new totp_service_1.TotpService((0, app_config_1.loadConfig)({ DATA_DIR: dir, MFA_ISSUER: 'Example Corp' }));
    });
    (0, node_test_1.after)(() => (0, node_fs_1.rmSync)(dir, { recursive: true, force: true }));
    (0, node_test_1.describe)('RFC 6238 test vectors (SHA-1, last six digits)', () => {
        for (const [time, value] of RFC_VECTORS) {
            (0, node_test_1.it)(`accepts ${value.slice(-6)} at T=${time} and names its step`, async () => {
                strict_1.default.equal(await totp.matchStep(RFC_SECRET, value.slice(-6), at(time)), stepOf(time));
            });
        }
        (0, node_test_1.it)('refuses a vector checked far from its own time', async () => {
            strict_1.default.equal(await totp.matchStep(RFC_SECRET, '287082', at(1111111109)), null);
            strict_1.default.equal(await totp.matchStep(RFC_SECRET, '081804', at(59)), null);
        });
        (0, node_test_1.it)('refuses the 8-digit form and the code of another secret', async () => {
            strict_1.default.equal(await totp.matchStep(RFC_SECRET, '07081804', at(1111111109)), null);
            const other = totp.generateSecret();
            strict_1.default.equal(await totp.matchStep(other, '081804', at(1111111109)), null);
        });
    });
    (0, node_test_1.describe)('one step of drift each way, exactly', () => {
        // 081804 belongs to step 37037036: seconds 1111111080 to 1111111109.
        const code = '081804';
        const step = stepOf(1111111109);
        (0, node_test_1.it)('accepts it from the first second of the step before', async () => {
            strict_1.default.equal(stepOf(1111111050), step - 1);
            strict_1.default.equal(await totp.matchStep(RFC_SECRET, code, at(1111111050)), step);
        });
        (0, node_test_1.it)('refuses it in the last second two steps before', async () => {
            strict_1.default.equal(stepOf(1111111049), step - 2);
            strict_1.default.equal(await totp.matchStep(RFC_SECRET, code, at(1111111049)), null);
        });
        (0, node_test_1.it)('accepts it at both edges of its own step', async () => {
            strict_1.default.equal(await totp.matchStep(RFC_SECRET, code, at(1111111080)), step);
            strict_1.default.equal(await totp.matchStep(RFC_SECRET, code, at(1111111109)), step);
        });
        (0, node_test_1.it)('accepts it until the last second of the step after', async () => {
            strict_1.default.equal(stepOf(1111111139), step + 1);
            strict_1.default.equal(await totp.matchStep(RFC_SECRET, code, at(1111111139)), step);
        });
        (0, node_test_1.it)('refuses it from the first second two steps after', async () => {
            strict_1.default.equal(stepOf(1111111140), step + 2);
            strict_1.default.equal(await totp.matchStep(RFC_SECRET, code, at(1111111140)), null);
        });
    });
    (0, node_test_1.it)('refuses anything not six ASCII digits without consulting the secret', async () => {
        for (const code of ['', '81804', '0818040', ' 081804', '081804 ', '０８１８０４', 'abcdef']) {
            strict_1.default.equal(await totp.matchStep(RFC_SECRET, code, at(1111111109)), null, code);
        }
    });
    (0, node_test_1.it)('answers null, not a throw, for a secret that is not base32', async () => {
        strict_1.default.equal(await totp.matchStep('not base32 at all!', '081804', at(1111111109)), null);
    });
    (0, node_test_1.it)('generates 160-bit base32 secrets, a fresh one each time', () => {
        const a = totp.generateSecret();
        const b = totp.generateSecret();
        strict_1.default.match(a, /^[A-Z2-7]{32}$/);
        strict_1.default.notEqual(a, b);
    });
    (0, node_test_1.it)('builds an otpauth URI with the configured issuer and the account name', () => {
        const uri = new URL(totp.otpauthUri(RFC_SECRET, 'alice'));
        strict_1.default.equal(uri.protocol, 'otpauth:');
        strict_1.default.equal(uri.host, 'totp');
        strict_1.default.equal(decodeURIComponent(uri.pathname), '/Example Corp:alice');
        strict_1.default.equal(uri.searchParams.get('secret'), RFC_SECRET);
        strict_1.default.equal(uri.searchParams.get('issuer'), 'Example Corp');
    });
    (0, node_test_1.it)('draws the URI as an SVG QR code', async () => {
        const svg = await totp.qrCodeSvg(totp.otpauthUri(RFC_SECRET, 'alice'));
        strict_1.default.match(svg, /^<svg[\s\S]*<\/svg>\s*$/);
    });
    (0, node_test_1.it)('generates ten distinct recovery codes in the canonical form', () => {
        const codes = totp.generateRecoveryCodes();
        strict_1.default.equal(codes.length, 10);
        strict_1.default.equal(new Set(codes).size, 10);
        for (const code of codes) {
            strict_1.default.match(code, /^[a-z2-9]{5}-[a-z2-9]{5}$/);
            strict_1.default.deepEqual((0, totp_service_1.parseSecondFactorCode)(code), { kind: 'recovery', code });
        }
    });
});
(0, node_test_1.describe)('parseSecondFactorCode', () => {
    (0, node_test_1.describe)('canonical forms are read', () => {
        const accepted = [
            ['a JSON string', '012345', '012345'],
            ['a JSON number', 123456, '123456'],
            ['a JSON number that lost its leading zeros', 12345, '012345'],
            ['zero', 0, '000000'],
            ['{"code": string}', { code: '654321' }, '654321'],
            ['{"Code": string} (any case)', { Code: '654321' }, '654321'],
            ['{"CODE": number}', { CODE: 54321 }, '054321'],
        ];
        for (const [name, input, code] of accepted) {
            (0, node_test_1.it)(name, () => {
                strict_1.default.deepEqual((0, totp_service_1.parseSecondFactorCode)(input), { kind: 'totp', code });
            });
        }
        (0, node_test_1.it)('a recovery code, in either case, read as lower case', () => {
            strict_1.default.deepEqual((0, totp_service_1.parseSecondFactorCode)('abcde-23456'), {
                kind: 'recovery',
                code: 'abcde-23456',
            });
            strict_1.default.deepEqual((0, totp_service_1.parseSecondFactorCode)({ code: 'ABCDE-23456' }), {
                kind: 'recovery',
                code: 'abcde-23456',
            });
        });
    });
    (0, node_test_1.describe)('everything else is refused before any lookup', () => {
        const refused = [
            ['a leading space', ' 123456'],
            ['a trailing space', '123456 '],
            ['a trailing newline', '123456\n'],
            ['a tab', '\t123456'],
            ['an inner space', '123 456'],
            ['an inner dash', '123-456'],
            ['five digits as text', '12345'],
            ['seven digits', '1234567'],
            ['full-width digits', '１２３４５６'],
            ['Arabic-Indic digits', '١٢٣٤٥٦'],
            ['a zero-width space', '123\u200b456'],
            ['a 10 KB string of digits', '1'.repeat(10 * 1024)],
            [
                'a 10 KB string of spaces around a code',
                `${' '.repeat(5 * 1024)}123456${' '.repeat(5 * 1024)}`,
            ],
            ['an empty string', ''],
            ['a negative number', -123456],
            ['a seven-digit number', 1_000_000],
            ['a fraction', 12345.6],
            ['a boolean', true],
            ['null', null],
            ['undefined', undefined],
            ['an array', ['123456']],
            ['an object without code', { totp: '123456' }],
            ['an object with code twice in two cases', { code: '123456', Code: '123456' }],
            ['an object whose code is padded', { code: ' 123456' }],
            ['an object whose code is an object', { code: { code: '123456' } }],
            ['a recovery code with a space', 'abcde -23456'],
            ['a recovery code without its dash', 'abcde23456'],
            ['a recovery code with a leading space', ' abcde-23456'],
        ];
        for (const [name, input] of refused) {
            (0, node_test_1.it)(name, () => {
                strict_1.default.equal((0, totp_service_1.parseSecondFactorCode)(input), null);
            });
        }
    });
});
//# sourceMappingURL=totp.service.spec.js.map