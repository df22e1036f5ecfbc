import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { enrolledUser, freshCode, storedMfa, uniqueName } from './support/accounts';
import { allAuditEvents, API_KEYS } from './support/api';
import { SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';

const RPC = '/api_jsonrpc.php';
const bearer = { type: 'bearer' } as const;

interface Answer {
  jsonrpc: string;
  result?: unknown;
  error?: { code: number; message: string; data: string };
  id: string | number | null;
}

/** Zabbix's JSON-RPC API (seed 000), driven as Zabbix clients drive it. */
describe('Zabbix: POST /api_jsonrpc.php', () => {
  let t: TestApp;
  let admin: SignedIn;
  let proofKey: string;
  let plainKey: string;

  before(async () => {
    ({ t, admin } = await startApp());
    const make = async (grants: string[]) =>
      (
        (
          await request(t.http)
            .post(API_KEYS)
            .auth(admin.token, bearer)
            .set('x-2fa-code', await freshCode(t, admin.secret))
            .send({
              name: 'zabbix',
              expiresInDays: 30,
              permissions: ['edit-other-user-totp', 'view-accounts'],
              grants,
            })
            .expect(201)
        ).body as { key: string }
      ).key;
    proofKey = await make(['step-up']);
    plainKey = await make([]);
  });
  after(() => t.close());

  const rpc = (body: unknown, key?: string, contentType = 'application/json-rpc') => {
    const req = request(t.http).post(RPC).set('Content-Type', contentType);
    if (key !== undefined) req.set('Authorization', `Bearer ${key}`);
    return req.send(typeof body === 'string' ? body : JSON.stringify(body));
  };
  const call = (method: string, params: unknown, id: number | string = 1) => ({
    jsonrpc: '2.0',
    method,
    params,
    id,
  });

  it('answers apiinfo.version without authentication, HTTP 200', async () => {
    const res = await rpc(call('apiinfo.version', []));
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.text), { jsonrpc: '2.0', result: '7.0.0', id: 1 });
  });

  it("replays the seed's request: user.resettotp with two ids answers {userids}, sessions ended, audited", async () => {
    const [one, two] = [
      await enrolledUser(t, uniqueName('zb-1')),
      await enrolledUser(t, uniqueName('zb-2')),
    ];
    const res = await rpc(call('user.resettotp', [one.id, two.id]), proofKey);
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.text), {
      jsonrpc: '2.0',
      result: { userids: [one.id, two.id] },
      id: 1,
    });
    for (const user of [one, two]) {
      assert.equal((await storedMfa(t, user.id)).hasSecret, false);
      await request(t.http).get('/api/v1/Mfa').auth(user.token, bearer).expect(401);
    }
    const [event] = await allAuditEvents(t, admin.token, { action: 'mfa.reset', targetId: one.id });
    assert.equal(event.details?.dialect, 'zabbix');
    assert.equal(event.actorId, admin.id);
  });

  it('takes {"userid"} objects, the legacy auth member, and application/json', async () => {
    const user = await enrolledUser(t, uniqueName('zb-obj'));
    const res = await rpc(
      { ...call('user.resettotp', [{ userid: user.id }]), auth: proofKey },
      undefined,
      'application/json',
    );
    assert.deepEqual((JSON.parse(res.text) as Answer).result, { userids: [user.id] });
  });

  it('is all or nothing: an unknown id changes nothing (-32602)', async () => {
    const user = await enrolledUser(t, uniqueName('zb-none'));
    const res = await rpc(
      call('user.resettotp', [user.id, '0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90']),
      proofKey,
    );
    assert.deepEqual((JSON.parse(res.text) as Answer).error, {
      code: -32602,
      message: 'Invalid params.',
      data: 'No permissions to referred object or it does not exist!',
    });
    assert.equal((await storedMfa(t, user.id)).hasSecret, true);
  });

  it("asks a key without the step-up grant for the owner's code in x-2fa-code", async () => {
    const user = await enrolledUser(t, uniqueName('zb-step'));
    const refused = JSON.parse(
      (await rpc(call('user.resettotp', [user.id]), plainKey)).text,
    ) as Answer;
    assert.equal(refused.error?.code, -32500);
    assert.match(refused.error?.data ?? '', /totp-required/);
    const res = await rpc(call('user.resettotp', [user.id]), plainKey).set(
      'x-2fa-code',
      await freshCode(t, admin.secret),
    );
    assert.deepEqual((JSON.parse(res.text) as Answer).result, { userids: [user.id] });
  });

  it('answers the JSON-RPC errors: -32700, -32600, -32601, -32602 not authorized, no permission', async () => {
    const parse = JSON.parse((await rpc('{"jsonrpc": "2.0", "method":')).text) as Answer;
    assert.deepEqual([parse.error?.code, parse.id], [-32700, null]);
    const invalid = JSON.parse((await rpc({ method: 'apiinfo.version', id: 4 })).text) as Answer;
    assert.deepEqual([invalid.error?.code, invalid.error?.message], [-32600, 'Invalid request.']);
    const unknown = JSON.parse((await rpc(call('host.get', {}, 5))).text) as Answer;
    assert.deepEqual([unknown.error?.code, unknown.id], [-32601, 5]);
    const anonymous = JSON.parse((await rpc(call('user.get', {}))).text) as Answer;
    assert.deepEqual(anonymous.error, {
      code: -32602,
      message: 'Invalid params.',
      data: 'Not authorized.',
    });
    const readerKey = (
      (
        await request(t.http)
          .post(API_KEYS)
          .auth(admin.token, bearer)
          .send({ name: 'zb-reader', expiresInDays: 1, permissions: ['view-accounts'] })
          .expect(201)
      ).body as { key: string }
    ).key;
    const denied = JSON.parse(
      (await rpc(call('user.resettotp', [admin.id]), readerKey)).text,
    ) as Answer;
    assert.deepEqual(denied.error, {
      code: -32500,
      message: 'Application error.',
      data: 'No permissions to call this method.',
    });
    const badKey = JSON.parse(
      (await rpc(call('user.get', {}), `mfak_${'x'.repeat(49)}`)).text,
    ) as Answer;
    assert.equal(badKey.error?.code, -32602);
  });

  it('answers a batch as JSON-RPC batches are, notifications left out', async () => {
    const res = await rpc([
      call('apiinfo.version', [], 1),
      { jsonrpc: '2.0', method: 'apiinfo.version' },
      7,
      call('nope', {}, 'x'),
    ]);
    const answers = JSON.parse(res.text) as Answer[];
    assert.equal(answers.length, 3);
    assert.deepEqual(answers[0], { jsonrpc: '2.0', result: '7.0.0', id: 1 });
    assert.equal(answers[1].error?.code, -32600);
    assert.deepEqual([answers[2].error?.code, answers[2].id], [-32601, 'x']);
    const onlyNotifications = await rpc([{ jsonrpc: '2.0', method: 'apiinfo.version' }]);
    assert.deepEqual([onlyNotifications.status, onlyNotifications.text], [200, '']);
  });

  it("finds ids from names with user.get, in Zabbix's fields", async () => {
    const byName = JSON.parse(
      (
        await rpc(
          call('user.get', { filter: { username: admin.userName }, output: 'extend' }),
          plainKey,
        )
      ).text,
    ) as Answer;
    assert.deepEqual(byName.result, [
      {
        userid: admin.id,
        username: admin.userName,
        name: 'Administrator',
        surname: '',
        roleid: 'Admin',
      },
    ]);
    const byId = JSON.parse(
      (await rpc(call('user.get', { userids: [admin.id] }), plainKey)).text,
    ) as Answer;
    assert.equal((byId.result as { userid: string }[])[0].userid, admin.id);
    const search = JSON.parse(
      (await rpc(call('user.get', { search: { username: 'adm' }, limit: 5 }), plainKey)).text,
    ) as Answer;
    assert.ok((search.result as { username: string }[]).some((u) => u.username === admin.userName));
  });

  it('refuses user.login (every account has MFA: use an API token); checks a token; logs out', async () => {
    const login = JSON.parse(
      (await rpc(call('user.login', { username: 'admin', password: 'wrong-password-1' }))).text,
    ) as Answer;
    assert.equal(login.error?.code, -32500);
    const legacy = JSON.parse(
      (await rpc(call('user.login', { user: admin.userName, password: admin.password }))).text,
    ) as Answer;
    assert.match(legacy.error?.data ?? '', /API token/);
    // A wrong password gets the same answer: no password is checked, nothing to tell apart.
    assert.deepEqual(login.error, legacy.error);
    const check = JSON.parse(
      (await rpc(call('user.checkAuthentication', { token: plainKey }))).text,
    ) as Answer;
    assert.equal((check.result as { userid: string }).userid, admin.id);
    const gone = JSON.parse(
      (await rpc(call('user.checkAuthentication', { token: `mfak_${'y'.repeat(49)}` }))).text,
    ) as Answer;
    assert.equal(gone.error?.data, 'Session terminated, re-login, please.');
    const out = JSON.parse((await rpc(call('user.logout', []), plainKey)).text) as Answer;
    assert.equal(out.result, true);
  });

  it('proves step-up once per request: a batch of resets with one code neither fails nor locks the owner', async () => {
    const users = await Promise.all([1, 2, 3].map((n) => enrolledUser(t, uniqueName(`zb-b${n}`))));
    const res = await rpc(
      users.map((u, i) => call('user.resettotp', [u.id], i)),
      plainKey,
    ).set('x-2fa-code', await freshCode(t, admin.secret));
    const answers = JSON.parse(res.text) as Answer[];
    assert.deepEqual(
      answers.map((a) => a.result),
      users.map((u) => ({ userids: [u.id] })),
    );
    const [row] = await t.sql<{ failed_attempts: number }>(
      'SELECT failed_attempts FROM accounts WHERE id = ?',
      [admin.id],
    );
    assert.equal(Number(row.failed_attempts), 0);
  });

  it('takes a fractional limit as no limit (it reached the SQL before): the batch answered whole', async () => {
    const res = await rpc(
      [call('user.get', { limit: 0.5 }, 1), call('apiinfo.version', [], 2)],
      plainKey,
    );
    assert.equal(res.status, 200);
    const answers = JSON.parse(res.text) as Answer[];
    assert.ok(Array.isArray(answers[0].result), 'a fractional limit is no limit');
    assert.equal(answers[1].result, '7.0.0');
  });

  it('takes one credential: a header and an auth member, or two Authorization headers, are none', async () => {
    const both = JSON.parse(
      (await rpc({ ...call('user.get', {}), auth: plainKey }, proofKey)).text,
    ) as Answer;
    assert.equal(both.error?.data, 'Not authorized.');
    // Each call of a batch is its own caller: the second has no credential of its own.
    const batch = JSON.parse(
      (await rpc([{ ...call('user.logout', [], 1), auth: plainKey }, call('user.get', {}, 2)]))
        .text,
    ) as Answer[];
    assert.equal(batch[0].result, true);
    assert.equal(batch[1].error?.data, 'Not authorized.');
  });

  it('is driven unmodified by a published Zabbix client (zabbix-promise) holding an API token', async () => {
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    // The package has no types: its constructor and request method, as its README shows them.
    const Zabbix = createRequire(__filename)('zabbix-promise') as new (opts: {
      url: string;
      user: string;
      password: string;
    }) => { auth: string | null; request(method: string, params: unknown): Promise<unknown> };
    const zabbix = new Zabbix({ url: `http://127.0.0.1:${port}${RPC}`, user: '', password: '' });
    // Zabbix API tokens are used without user.login: the client sends `auth` as it is.
    zabbix.auth = proofKey;
    assert.equal(await zabbix.request('apiinfo.version', []), '7.0.0');
    const user = await enrolledUser(t, uniqueName('zb-client'));
    const found = (await zabbix.request('user.get', { filter: { username: user.userName } })) as {
      userid: string;
    }[];
    assert.deepEqual(await zabbix.request('user.resettotp', [found[0].userid]), {
      userids: [user.id],
    });
    assert.equal((await storedMfa(t, user.id)).hasSecret, false);
  });

  it('leaves the same state and audit trail as the NPS endpoint', async () => {
    const [viaNps, viaZabbix] = [
      await enrolledUser(t, uniqueName('zb-same-nps')),
      await enrolledUser(t, uniqueName('zb-same-zb')),
    ];
    await request(t.http)
      .put(`/api/v1/ManagedAccount/ResetMFA/${viaNps.id}`)
      .set('Authorization', proofKey)
      .expect(200);
    await rpc(call('user.resettotp', [viaZabbix.id]), proofKey).expect(200);
    for (const user of [viaNps, viaZabbix]) {
      const stored = await storedMfa(t, user.id);
      assert.deepEqual(
        [stored.hasSecret, stored.hasPending, stored.recoveryCodes],
        [false, false, 0],
      );
      await request(t.http).get('/api/v1/Mfa').auth(user.token, bearer).expect(401);
    }
    const events = await allAuditEvents(t, admin.token, { action: 'mfa.reset' });
    const nps = events.find((e) => e.targetId === viaNps.id);
    const zabbix = events.find((e) => e.targetId === viaZabbix.id);
    const { dialect, batch, ...rest } = zabbix?.details ?? {};
    const { batch: npsBatch, ...npsRest } = nps?.details ?? {};
    assert.equal(dialect, 'zabbix');
    // Zabbix's call is the batch reset (a list of ids); the NPS call was a single one.
    assert.deepEqual([batch, npsBatch], [true, false]);
    assert.deepEqual(rest, npsRest);
    assert.equal(zabbix?.actorId, nps?.actorId);
  });
});
