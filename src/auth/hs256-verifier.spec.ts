import assert from 'node:assert/strict';
import { createHmac, createSecretKey, KeyObject } from 'node:crypto';
import { describe, it } from 'node:test';
import { sign, verify } from 'jsonwebtoken';
import { passportJwtVerifier, verifyHs256 } from './hs256-verifier';

const key = createSecretKey(Buffer.from('a secret of the service, long enough for HS256 here'));
const otherKey = createSecretKey(Buffer.from('another secret, of someone else, as long as it is'));
const expected = { issuer: 'mfa-admin', audience: 'mfa-admin' };
const now = 1_800_000_000;

const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** A token of any header and payload text, signed (HMAC-SHA256) with `with` over what it holds. */
function token(header: unknown, payload: unknown, withKey: KeyObject = key): string {
  const text = (part: unknown) => (typeof part === 'string' ? part : JSON.stringify(part));
  const input = `${b64(text(header))}.${b64(text(payload))}`;
  return `${input}.${createHmac('sha256', withKey).update(input).digest('base64url')}`;
}

const claims = {
  sub: '6f1c1a52-8a7e-4d8e-9a8e-0b7e2b0e9e11',
  sid: '7f1c1a52-8a7e-4d8e-9a8e-0b7e2b0e9e11',
  typ: 'access',
  iat: now - 10,
  exp: now + 900,
  iss: 'mfa-admin',
  aud: 'mfa-admin',
};
const header = { alg: 'HS256', typ: 'JWT' };
const good = token(header, claims);

/** What jsonwebtoken decides, with the options the service gives passport-jwt. */
function reference(candidate: string): Record<string, unknown> | undefined {
  try {
    return verify(candidate, key, {
      algorithms: ['HS256'],
      issuer: expected.issuer,
      audience: expected.audience,
      clockTimestamp: now,
    }) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

// Tokens that differ from a good one in every way a check looks at.
const cases: Record<string, string> = {
  'a good token': good,
  'one made by jsonwebtoken': sign({ ...claims, iss: undefined, aud: undefined }, key, {
    algorithm: 'HS256',
    issuer: expected.issuer,
    audience: expected.audience,
  }),
  'signed with another key': token(header, claims, otherKey),
  'alg none, no signature': `${b64(JSON.stringify({ alg: 'none' }))}.${b64(JSON.stringify(claims))}.`,
  'alg none, signed': token({ alg: 'none' }, claims),
  'alg HS512 (signed with HS256)': token({ alg: 'HS512', typ: 'JWT' }, claims),
  'alg hs256 in lower case': token({ alg: 'hs256' }, claims),
  'alg RS256': token({ alg: 'RS256' }, claims),
  'no alg': token({ typ: 'JWT' }, claims),
  'no typ': token({ alg: 'HS256' }, claims),
  'a kid and crit (ignored)': token({ alg: 'HS256', kid: 'x', crit: ['b64'] }, claims),
  'header not JSON': token('{alg:HS256}', claims),
  'header a list': token(['HS256'], claims),
  'header null': token('null', claims),
  'header a string': token('"HS256"', claims),
  'payload not JSON, typ JWT': token(header, '{sub:'),
  'payload not JSON, no typ': token({ alg: 'HS256' }, 'hello'),
  'payload a list': token(header, [claims]),
  'payload a number': token({ alg: 'HS256' }, '42'),
  'expired a second ago': token(header, { ...claims, exp: now - 1 }),
  'expiring now': token(header, { ...claims, exp: now }),
  'expiring in a second': token(header, { ...claims, exp: now + 1 }),
  'exp a string': token(header, { ...claims, exp: String(now + 900) }),
  'exp null': token(header, { ...claims, exp: null }),
  'no exp': token(header, { ...claims, exp: undefined }),
  'nbf in a second': token(header, { ...claims, nbf: now + 1 }),
  'nbf now': token(header, { ...claims, nbf: now }),
  'nbf a string': token(header, { ...claims, nbf: String(now - 5) }),
  'another issuer': token(header, { ...claims, iss: 'someone-else' }),
  'no issuer': token(header, { ...claims, iss: undefined }),
  'issuer in a list': token(header, { ...claims, iss: ['mfa-admin'] }),
  'issuer in another case': token(header, { ...claims, iss: 'MFA-admin' }),
  'another audience': token(header, { ...claims, aud: 'someone-else' }),
  'no audience': token(header, { ...claims, aud: undefined }),
  'audience in a list': token(header, { ...claims, aud: ['x', 'mfa-admin'] }),
  'audience not in the list': token(header, { ...claims, aud: ['x', 'y'] }),
  'audience an empty list': token(header, { ...claims, aud: [] }),
  'signature cut short': good.slice(0, -1),
  'signature one longer': `${good}A`,
  'signature with its last character changed': `${good.slice(0, -1)}${good.endsWith('A') ? 'B' : 'A'}`,
  'signature in base64 with padding': `${good}=`,
  'signature in standard base64': good.replace(/-/g, '+').replace(/_/g, '/'),
  'payload changed after signing': `${good.split('.')[0]}.${b64(JSON.stringify({ ...claims, sub: 'x' }))}.${good.split('.')[2]}`,
  'two parts': good.split('.').slice(0, 2).join('.'),
  'four parts': `${good}.x`,
  'empty header': `.${good.split('.').slice(1).join('.')}`,
  'a space inside': `${good.slice(0, 10)} ${good.slice(10)}`,
  'a space after': `${good} `,
  empty: '',
  'a dot': '.',
  'two dots': '..',
};

describe('HS256 verification (verifyHs256 against jsonwebtoken)', () => {
  for (const [name, candidate] of Object.entries(cases)) {
    it(`decides as jsonwebtoken: ${name}`, () => {
      const want = reference(candidate);
      const got = verifyHs256(candidate, key, expected, now);
      assert.deepEqual(got, want);
    });
  }

  it('accepts the good token and refuses the forged ones (the cases are not all alike)', () => {
    assert.ok(verifyHs256(good, key, expected, now));
    assert.equal(verifyHs256(cases['signed with another key'], key, expected, now), undefined);
    assert.equal(verifyHs256(cases['alg none, no signature'], key, expected, now), undefined);
    assert.equal(verifyHs256(cases['expired a second ago'], key, expected, now), undefined);
  });

  it('refuses a payload of null, which jsonwebtoken would fail on with a TypeError', () => {
    assert.equal(verifyHs256(token(header, 'null'), key, expected, now), undefined);
  });
});

describe('the verifier given to passport-jwt', () => {
  const options = {
    algorithms: ['HS256'],
    issuer: expected.issuer,
    audience: expected.audience,
    ignoreExpiration: false,
  };
  const live = token(header, {
    ...claims,
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 60,
  });

  function run(candidate: string, verifierKey: unknown, verifierOptions: Record<string, unknown>) {
    return new Promise<{ error: unknown; payload: unknown }>((resolve) =>
      passportJwtVerifier(candidate, verifierKey, verifierOptions, (error, payload) =>
        resolve({ error, payload }),
      ),
    );
  }

  it("answers the payload for the service's options, an Error for a refusal", async () => {
    const accepted = await run(live, key, options);
    assert.equal(accepted.error, null);
    assert.equal((accepted.payload as { sub: string }).sub, claims.sub);
    const refused = await run(token(header, claims, otherKey), key, options);
    assert.ok(refused.error instanceof Error);
    assert.equal(refused.payload, undefined);
  });

  it('leaves other options to jsonwebtoken (another algorithm allowed, a key as text)', async () => {
    const hs384 = sign({ sub: 'x', iss: 'mfa-admin', aud: 'mfa-admin' }, key, {
      algorithm: 'HS384',
    });
    const byJsonwebtoken = await run(hs384, key, { ...options, algorithms: ['HS256', 'HS384'] });
    assert.equal(byJsonwebtoken.error, null);
    assert.ok(
      (await run(hs384, key, { ...options, algorithms: ['HS256'] })).error instanceof Error,
    );
    const secret = 'a key given as text';
    const withText = sign({ sub: 'y', iss: 'mfa-admin', aud: 'mfa-admin' }, secret);
    assert.equal((await run(withText, secret, options)).error, null);
  });
});
