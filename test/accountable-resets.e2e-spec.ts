import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { enrolledUser, freshCode, storedMfa, uniqueName, wrongCode } from './support/accounts';
import {
  ACCOUNTS,
  allAuditEvents,
  API_KEYS,
  AuditItem,
  freshAdminToken,
  resetBatch,
  resetById,
  resetOwn,
  ROLES,
  tokenStatus,
} from './support/api';
import { startApp } from './support/app-fixture';
import { problemOf, validationProblemOf } from './support/problem';
import { SignedIn, TestApp } from './support/test-app';

const bearer = { type: 'bearer' } as const;

interface HistoryItem {
  at: string;
  event: string;
  byId: string | null;
  byName: string | null;
  reason?: string;
  ticket?: string;
  lockedUntil?: string;
}

async function resetEvents(t: TestApp, token: string, targetId: string): Promise<AuditItem[]> {
  return allAuditEvents(t, token, { action: 'mfa.reset', targetId });
}

async function history(t: TestApp, token: string, id: string): Promise<HistoryItem[]> {
  const res = await request(t.http).get(`${ACCOUNTS}/${id}/MfaHistory`).auth(token, bearer);
  assert.equal(res.status, 200, res.text);
  return (res.body as { items: HistoryItem[] }).items;
}

describe('a reason and a ticket on every reset', () => {
  let t: TestApp;
  let admin: SignedIn;
  let token: string;

  before(async () => {
    ({ t, admin } = await startApp());
    token = await freshAdminToken(t, admin);
  });
  after(() => t.close());

  it('keeps the body’s reason and ticket in the audit event and the MFA history', async () => {
    const user = await enrolledUser(t, uniqueName('why'));
    const res = await resetById(t, token, user.id)
      .set('Content-Type', 'application/json')
      .send({ Reason: 'Lost phone, identity checked by call-back', TICKET: 'INC-4711' });
    assert.equal(res.status, 200, res.text);
    const [event] = await resetEvents(t, token, user.id);
    assert.equal(event.details?.reason, 'Lost phone, identity checked by call-back');
    assert.equal(event.details?.ticket, 'INC-4711');
    const [latest] = await history(t, token, user.id);
    assert.equal(latest.event, 'reset');
    assert.equal(latest.reason, 'Lost phone, identity checked by call-back');
    assert.equal(latest.ticket, 'INC-4711');
    assert.equal(latest.byName, 'admin');
  });

  it('takes them from X-Reset-Reason and X-Reset-Ticket for a bare batch, UTF-8 included', async () => {
    const users = [
      await enrolledUser(t, uniqueName('hdr')),
      await enrolledUser(t, uniqueName('hdr')),
    ];
    const res = await resetBatch(
      t,
      token,
      users.map((u) => u.id),
    )
      // As curl sends it: the UTF-8 bytes of the text.
      .set('X-Reset-Reason', 'Téléphone perdu')
      .set('X-Reset-Ticket', 'INC-1');
    assert.equal(res.status, 200, res.text);
    for (const user of users) {
      const [event] = await resetEvents(t, token, user.id);
      assert.equal(event.details?.reason, 'Téléphone perdu');
      assert.equal(event.details?.ticket, 'INC-1');
      assert.equal(event.details?.batch, true);
    }
  });

  it('still takes the seed’s bodiless PUT, with no reason kept', async () => {
    const user = await enrolledUser(t, uniqueName('bare'));
    const res = await resetById(t, token, user.id);
    assert.equal(res.status, 200, res.text);
    const [event] = await resetEvents(t, token, user.id);
    assert.equal(event.details?.reason, undefined);
  });

  it('refuses a malformed reason or ticket (400 naming it) and resets nothing', async () => {
    const user = await enrolledUser(t, uniqueName('bad-why'));
    const cases: [unknown, string][] = [
      [{ reason: 'x'.repeat(501) }, 'reason'],
      [{ reason: 'line\nbreak' }, 'reason'],
      [{ reason: 42 }, 'reason'],
      [{ ticket: ['INC-1'] }, 'ticket'],
      [{ ticket: 'y'.repeat(101) }, 'ticket'],
    ];
    for (const [body, field] of cases) {
      validationProblemOf(
        await resetById(t, token, user.id)
          .set('Content-Type', 'application/json')
          .send(body as object),
        field,
      );
    }
    // Invisible or direction-changing text says nothing, or something else than it shows.
    for (const reason of [
      '\u200b',
      '\u2800',
      '\u3164',
      'abc\u202edef',
      'x\ufeffy',
      'ok\u061c',
      'ok\u00ad',
      'ok\u{e0069}\u{e0067}',
    ])
      validationProblemOf(
        await resetById(t, token, user.id).set('Content-Type', 'application/json').send({ reason }),
        'reason',
      );
    // The body and the header disagree: which one is the reason?
    validationProblemOf(
      await resetById(t, token, user.id)
        .set('X-Reset-Reason', 'one')
        .set('Content-Type', 'application/json')
        .send({ reason: 'another' }),
      'reason',
    );
    assert.equal((await storedMfa(t, user.id)).hasSecret, true);
    assert.equal((await resetEvents(t, token, user.id)).length, 0);
  });

  it('keeps the reason of a Rocket.Chat users.resetTOTP and of one’s own reset', async () => {
    const user = await enrolledUser(t, uniqueName('rc-why'));
    const res = await request(t.http)
      .post('/api/v1/users.resetTOTP')
      .auth(token, bearer)
      .send({ userId: user.userName, reason: 'RC reason', ticket: 'RC-1' });
    assert.equal(res.status, 200, res.text);
    const [event] = await resetEvents(t, token, user.id);
    assert.equal(event.details?.reason, 'RC reason');
    assert.equal(event.details?.dialect, 'rocket-chat');
    const self = await enrolledUser(t, uniqueName('self-why'), ['Admin']);
    const own = await resetOwn(t, self.token).set('X-Reset-Reason', 'new phone');
    assert.equal(own.status, 200, own.text);
    const [ownEvent] = await resetEvents(t, token, self.id);
    assert.equal(ownEvent.details?.reason, 'new phone');
  });
});

describe('RESET_REASON_REQUIRED=true', () => {
  let t: TestApp;
  let admin: SignedIn;
  let token: string;

  before(async () => {
    ({ t, admin } = await startApp({ RESET_REASON_REQUIRED: 'true' }));
    token = await freshAdminToken(t, admin);
  });
  after(() => t.close());

  it('refuses every way in without a reason: 400 naming reason, nothing reset', async () => {
    const user = await enrolledUser(t, uniqueName('must'));
    validationProblemOf(await resetById(t, token, user.id), 'reason');
    validationProblemOf(await resetBatch(t, token, { ids: [user.id], ticket: 'T-1' }), 'reason');
    validationProblemOf(await resetById(t, token, user.id).set('X-Reset-Reason', '   '), 'reason');
    validationProblemOf(await resetOwn(t, token), 'reason');
    const rc = await request(t.http)
      .post('/api/v1/users.resetTOTP')
      .auth(token, bearer)
      .send({ userId: user.id });
    assert.equal(rc.status, 400, rc.text);
    assert.equal((rc.body as { errorType: string }).errorType, 'error-invalid-params');
    assert.equal((await storedMfa(t, user.id)).hasSecret, true);
  });

  it('resets with a reason in the body or the header', async () => {
    const a = await enrolledUser(t, uniqueName('given'));
    const b = await enrolledUser(t, uniqueName('given'));
    assert.equal((await resetById(t, token, a.id).send({ reason: 'lost' })).status, 200);
    assert.equal((await resetById(t, token, b.id).set('X-Reset-Reason', 'stolen')).status, 200);
  });
});

describe('Idempotency-Key on reset calls', () => {
  let t: TestApp;
  let admin: SignedIn;
  let token: string;

  before(async () => {
    ({ t, admin } = await startApp());
    token = await freshAdminToken(t, admin);
  });
  after(() => t.close());

  it('answers a retry with the first answer, and changes nothing the second time', async () => {
    const user = await enrolledUser(t, uniqueName('idem'));
    const key = `"${randomUUID()}"`;
    const first = await resetById(t, token, user.id)
      .set('Idempotency-Key', key)
      .send({ reason: 'r' });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    // The user signs in again after the reset: a second reset would end this new session.
    const again = await t.enroll(user.userName, 'Factory-made-Password-1!');
    const retry = await resetById(t, token, user.id)
      .set('Idempotency-Key', key)
      .send({ reason: 'r' });
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.deepEqual(retry.body, first.body);
    assert.equal(await tokenStatus(t, again.token), 200, 'the retry ended no session');
    assert.equal((await storedMfa(t, user.id)).hasSecret, true, 'the new enrolment stands');
    assert.equal((await resetEvents(t, token, user.id)).length, 1);
  });

  it('answers 422 to the same key with another request, and acts on neither', async () => {
    const a = await enrolledUser(t, uniqueName('idem-a'));
    const b = await enrolledUser(t, uniqueName('idem-b'));
    const key = randomUUID();
    assert.equal((await resetById(t, token, a.id).set('Idempotency-Key', key)).status, 200);
    const other = problemOf(await resetById(t, token, b.id).set('Idempotency-Key', key), 422);
    assert.equal(other.errorType, 'idempotency-key-reused');
    const reworded = problemOf(
      await resetById(t, token, a.id).set('Idempotency-Key', key).send({ reason: 'changed' }),
      422,
    );
    assert.equal(reworded.errorType, 'idempotency-key-reused');
    assert.equal((await storedMfa(t, b.id)).hasSecret, true);
  });

  it('scopes a key to its caller: another caller’s same key is a call of its own', async () => {
    const helpDesk = await enrolledUser(t, uniqueName('hd'), ['HelpDesk']);
    const a = await enrolledUser(t, uniqueName('scope'));
    const key = randomUUID();
    assert.equal((await resetById(t, token, a.id).set('Idempotency-Key', key)).status, 200);
    const theirs = await resetById(t, helpDesk.token, a.id).set('Idempotency-Key', key);
    assert.equal(theirs.status, 200, theirs.text);
    assert.equal(theirs.headers['idempotent-replayed'], undefined);
    assert.equal((await resetEvents(t, token, a.id)).length, 2);
  });

  it('runs two concurrent calls with one key once: the other gets 409 or the same answer', async () => {
    const users = await Promise.all(
      Array.from({ length: 20 }, () => enrolledUser(t, uniqueName('race'))),
    );
    const ids = users.map((u) => u.id);
    const key = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => resetBatch(t, token, ids).set('Idempotency-Key', key)),
    );
    const statuses = answers.map((a) => a.status);
    assert.ok(
      statuses.every((s) => s === 200 || s === 409),
      statuses.join(),
    );
    const fresh = answers.filter(
      (a) => a.status === 200 && a.headers['idempotent-replayed'] === undefined,
    );
    assert.equal(fresh.length, 1, `one call acted: ${statuses.join()}`);
    for (const a of answers.filter((x) => x.status === 200))
      assert.deepEqual(a.body, fresh[0].body);
    for (const a of answers.filter((x) => x.status === 409))
      assert.equal(problemOf(a, 409).errorType, 'idempotency-key-in-flight');
    for (const id of ids) assert.equal((await resetEvents(t, token, id)).length, 1);
  });

  it('answers 409 while the first call holds the key, lets a retry take over a holder gone without acting, and never acts twice', async () => {
    const user = await enrolledUser(t, uniqueName('lease'));
    const key = randomUUID();
    // A first call under way: its key is held (as the interceptor leaves it before acting).
    const first = await resetById(t, token, user.id).set('Idempotency-Key', key);
    assert.equal(first.status, 200);
    // Stored hashed, per credential kind: the account's sessions share their keys.
    const stored = createHash('sha256').update(`sessions\n${key}`).digest('hex');
    const [row] = await t.sql<{ account_id: string }>(
      'SELECT account_id FROM idempotency_keys WHERE idempotency_key = ?',
      [stored],
    );
    assert.equal(row?.account_id, admin.id);
    const leaseUntil = new Date(t.clock.now().getTime() + 60_000);
    await t.sql(
      'UPDATE idempotency_keys SET status = NULL, answer = NULL, lease_until = ? WHERE idempotency_key = ?',
      [
        t.isPostgres ? leaseUntil : leaseUntil.toISOString().replace('T', ' ').replace('Z', ''),
        stored,
      ],
    );
    assert.equal(
      problemOf(await resetById(t, token, user.id).set('Idempotency-Key', key), 409).errorType,
      'idempotency-key-in-flight',
    );
    // The holder vanished after acting: its answer is lost, and the retry must not act again.
    t.clock.advance(120);
    const lost = problemOf(await resetById(t, token, user.id).set('Idempotency-Key', key), 409);
    assert.match(lost.detail, /answer was lost/);
    assert.equal(lost.errorType, 'idempotency-outcome-unknown');
    assert.equal((await resetEvents(t, token, user.id)).length, 1);
    // A holder that vanished before acting: the retry takes the key over and acts.
    await t.sql('UPDATE idempotency_keys SET acted = ? WHERE idempotency_key = ?', [false, stored]);
    const takeover = await resetById(t, token, user.id).set('Idempotency-Key', key);
    assert.equal(takeover.status, 200, takeover.text);
    assert.equal((await resetEvents(t, token, user.id)).length, 2);
  });

  it('forgets a key after 24 hours', async () => {
    const user = await enrolledUser(t, uniqueName('ttl'));
    const key = randomUUID();
    assert.equal((await resetById(t, token, user.id).set('Idempotency-Key', key)).status, 200);
    t.clock.advance(24 * 3600 + 60);
    const later = await freshAdminToken(t, admin);
    const res = await resetById(t, later, user.id).set('Idempotency-Key', key);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['idempotent-replayed'], undefined);
    assert.equal((await resetEvents(t, later, user.id)).length, 2);
    token = later;
  });

  it('refuses a malformed key (400 naming Idempotency-Key)', async () => {
    const user = await enrolledUser(t, uniqueName('badkey'));
    for (const bad of ['', '"', 'x'.repeat(256), 'tab\there'])
      validationProblemOf(
        await resetById(t, token, user.id).set('Idempotency-Key', bad),
        'Idempotency-Key',
      );
    assert.equal((await storedMfa(t, user.id)).hasSecret, true);
  });

  it('frees a Zabbix key whose request reset nothing, and refuses one key over several credentials', async () => {
    const keyFor = async (grants: string[]) =>
      (
        (
          await request(t.http)
            .post(API_KEYS)
            .auth(token, bearer)
            .set('x-2fa-code', await freshCode(t, admin.secret))
            .send({
              name: 'zbx-free',
              expiresInDays: 1,
              permissions: ['edit-other-user-totp'],
              grants,
            })
            .expect(201)
        ).body as { key: string }
      ).key;
    const plainKey = await keyFor([]);
    const proofKey = await keyFor(['step-up']);
    const user = await enrolledUser(t, uniqueName('zbx-free'));
    const idem = randomUUID();
    const call = (code?: string) => {
      const req = request(t.http)
        .post('/api_jsonrpc.php')
        .set('Content-Type', 'application/json-rpc')
        .set('Authorization', `Bearer ${plainKey}`)
        .set('Idempotency-Key', idem);
      if (code !== undefined) req.set('x-2fa-code', code);
      return req.send(
        JSON.stringify({ jsonrpc: '2.0', method: 'user.resettotp', params: [user.id], id: 1 }),
      );
    };
    const refused = await call();
    assert.match(JSON.stringify(refused.body), /totp-required/);
    const done = await call(await freshCode(t, admin.secret));
    assert.deepEqual((done.body as { result: unknown }).result, { userids: [user.id] });
    const again = await call();
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.body, done.body);
    const mixed = await request(t.http)
      .post('/api_jsonrpc.php')
      .set('Content-Type', 'application/json-rpc')
      .set('Idempotency-Key', randomUUID())
      .send(
        JSON.stringify([
          { jsonrpc: '2.0', method: 'user.resettotp', params: [user.id], id: 1, auth: proofKey },
          { jsonrpc: '2.0', method: 'user.resettotp', params: [user.id], id: 2, auth: plainKey },
        ]),
      );
    assert.equal((mixed.body as { error: { code: number } }).error.code, -32600);
    assert.equal((await resetEvents(t, token, user.id)).length, 1);
  });

  it('runs a Zabbix user.resettotp once per key', async () => {
    const keyRes = await request(t.http)
      .post(API_KEYS)
      .auth(token, bearer)
      .set('x-2fa-code', await freshCode(t, admin.secret))
      .send({
        name: 'zbx',
        expiresInDays: 1,
        permissions: ['edit-other-user-totp'],
        grants: ['step-up'],
      })
      .expect(201);
    const apiKey = (keyRes.body as { key: string }).key;
    const user = await enrolledUser(t, uniqueName('zbx'));
    const idem = randomUUID();
    const call = () =>
      request(t.http)
        .post('/api_jsonrpc.php')
        .set('Content-Type', 'application/json-rpc')
        .set('Authorization', `Bearer ${apiKey}`)
        .set('Idempotency-Key', idem)
        .set('X-Reset-Reason', 'zabbix reason')
        .send(
          JSON.stringify({ jsonrpc: '2.0', method: 'user.resettotp', params: [user.id], id: 1 }),
        );
    const first = await call();
    const second = await call();
    assert.deepEqual(first.body, { jsonrpc: '2.0', result: { userids: [user.id] }, id: 1 });
    assert.deepEqual(second.body, first.body);
    const events = await resetEvents(t, token, user.id);
    assert.equal(events.length, 1);
    assert.equal(events[0].details?.reason, 'zabbix reason');
  });
});

describe('Idempotency-Key and step-up (STEP_UP_MAX_AGE=0)', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp({ STEP_UP_MAX_AGE: '0' }));
  });
  after(() => t.close());

  it('frees the key of a call refused for step-up, and answers a retry of a finished call without a new code', async () => {
    const token = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('idem-step'));
    const key = randomUUID();
    assert.equal(
      problemOf(await resetById(t, token, user.id).set('Idempotency-Key', key), 400).errorType,
      'totp-required',
    );
    const code = await freshCode(t, admin.secret);
    const done = await resetById(t, token, user.id)
      .set('Idempotency-Key', key)
      .set('x-2fa-code', code);
    assert.equal(done.status, 200, done.text);
    // The same request again, its code spent: the first answer, no new proof asked for.
    const retry = await resetById(t, token, user.id)
      .set('Idempotency-Key', key)
      .set('x-2fa-code', code);
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
  });
});

describe('the burst guard: a reset budget per role', () => {
  let t: TestApp;
  let admin: SignedIn;
  let token: string;

  before(async () => {
    ({ t, admin } = await startApp());
    token = await freshAdminToken(t, admin);
  });
  after(() => t.close());

  const setBudget = async (role: string, resetBudget: unknown) => {
    const roles = (await request(t.http).get(ROLES).auth(token, bearer)).body as {
      name: string;
      permissions: string[];
    }[];
    const permissions = roles.find((r) => r.name === role)!.permissions;
    return request(t.http)
      .put(`${ROLES}/${role}`)
      .auth(token, bearer)
      .send({ permissions, resetBudget });
  };

  it('gives HelpDesk 50 accounts per 10 minutes by default, Admin no limit, and takes changes through the Role API', async () => {
    const roles = (await request(t.http).get(ROLES).auth(token, bearer).expect(200)).body as {
      name: string;
      resetBudget: number | null;
    }[];
    assert.equal(roles.find((r) => r.name === 'HelpDesk')?.resetBudget, 50);
    assert.equal(roles.find((r) => r.name === 'Admin')?.resetBudget, null);
    for (const bad of [0, -1, 1.5, '3', 2_000_000])
      validationProblemOf(await setBudget('HelpDesk', bad), 'resetBudget');
    const set = await setBudget('HelpDesk', 3);
    assert.equal(set.status, 200, set.text);
    assert.equal((set.body as { resetBudget: number }).resetBudget, 3);
    const [event] = await allAuditEvents(t, token, { action: 'role.updated' });
    assert.deepEqual(event.details?.resetBudget, { before: 50, after: 3 });
  });

  it('refuses a HelpDesk caller past its budget: 429 with Retry-After, audited, logged, counted, nothing reset', async () => {
    const helpDesk = await enrolledUser(t, uniqueName('hd-burst'), ['HelpDesk']);
    const users = await Promise.all(
      Array.from({ length: 5 }, () => enrolledUser(t, uniqueName('victim'))),
    );
    for (const user of users.slice(0, 3))
      assert.equal((await resetById(t, helpDesk.token, user.id)).status, 200);
    const res = await resetById(t, helpDesk.token, users[3].id);
    const problem = problemOf(res, 429);
    assert.equal(problem.errorType, 'reset-budget-exceeded');
    const retryAfter = Number(res.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 600, String(res.headers['retry-after']));
    assert.equal((await storedMfa(t, users[3].id)).hasSecret, true);
    // A batch counts each account: two more do not fit either.
    problemOf(await resetBatch(t, helpDesk.token, [users[3].id, users[4].id]), 429);
    assert.equal((await storedMfa(t, users[4].id)).hasSecret, true);
    const blocked = await allAuditEvents(t, token, { action: 'reset.burst-blocked' });
    assert.equal(blocked.length, 2);
    assert.equal(blocked[1].actorId, helpDesk.id);
    assert.equal(blocked[1].details?.budget, 3);
    assert.equal(blocked[1].details?.requested, 1);
    assert.ok(
      t.logLines.some(
        (l) =>
          l.level === 'warn' &&
          l.actorId === helpDesk.id &&
          String(l.msg).includes('reset burst blocked'),
      ),
    );
    const metrics = (await request(t.http).get('/metrics')).text;
    assert.match(
      metrics,
      /mfa_admin_resets_by_role_total\{role="HelpDesk",outcome="burst-blocked"\} 2/,
    );
    assert.match(metrics, /mfa_admin_resets_by_role_total\{role="HelpDesk",outcome="reset"\} 3/);
    // Ten minutes on, the window has moved.
    t.clock.advance(retryAfter);
    assert.equal((await resetById(t, helpDesk.token, users[3].id)).status, 200);
  });

  it('does not count one’s own reset, whichever way in (Rocket.Chat without userId included)', async () => {
    const helpDesk = await enrolledUser(t, uniqueName('hd-own'), ['HelpDesk']);
    const users = await Promise.all(
      Array.from({ length: 3 }, () => enrolledUser(t, uniqueName('own-victim'))),
    );
    for (const user of users)
      assert.equal((await resetById(t, helpDesk.token, user.id)).status, 200);
    const own = await request(t.http)
      .post('/api/v1/users.resetTOTP')
      .auth(helpDesk.token, bearer)
      .send({});
    assert.equal(own.status, 200, own.text);
  });

  it('lets an administrator’s bulk reset through (Admin has no budget; the largest of the caller’s roles counts)', async () => {
    const both = await enrolledUser(t, uniqueName('both'), ['HelpDesk', 'Admin']);
    const users = await Promise.all(
      Array.from({ length: 60 }, () => enrolledUser(t, uniqueName('bulk'))),
    );
    const res = await resetBatch(t, both.token, { ids: users.map((u) => u.id), reason: 'planned' });
    assert.equal(res.status, 200, res.text);
    assert.equal((res.body as { userids: string[] }).userids.length, 60);
  });
});

describe('RESET_ENROLLMENT_CODE=true: re-enrolment needs the code the reset answered', () => {
  let t: TestApp;
  let admin: SignedIn;
  let token: string;

  before(async () => {
    ({ t, admin } = await startApp({ RESET_ENROLLMENT_CODE: 'true', ENROLLMENT_CODE_TTL: '600' }));
    token = await freshAdminToken(t, admin);
  });
  after(() => t.close());

  const signIn = (user: SignedIn, enrollmentCode?: string) =>
    request(t.http)
      .post('/signinBody')
      .send({
        Login: user.userName,
        Password: 'Factory-made-Password-1!',
        ...(enrollmentCode === undefined ? {} : { enrollmentCode }),
      });

  async function resetWithCode(user: SignedIn): Promise<string> {
    const res = await resetById(t, token, user.id);
    assert.equal(res.status, 200, res.text);
    const body = res.body as { enrollmentCode: string; enrollmentCodeExpiresAt: string };
    assert.match(body.enrollmentCode, /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    assert.equal(
      new Date(body.enrollmentCodeExpiresAt).getTime(),
      t.clock.now().getTime() + 600_000,
    );
    return body.enrollmentCode;
  }

  it('answers 401 enrollment-code-required without it, and audits the refusal', async () => {
    const user = await enrolledUser(t, uniqueName('code-none'));
    await resetWithCode(user);
    const problem = problemOf(await signIn(user), 401);
    assert.equal(problem.errorType, 'enrollment-code-required');
    const failed = await allAuditEvents(t, token, { action: 'sign-in.failed', targetId: user.id });
    assert.equal(failed[0].details?.reason, 'enrollment-code-required');
  });

  it('answers the same for a right and a wrong password while the code is missing or wrong (no password oracle)', async () => {
    const user = await enrolledUser(t, uniqueName('code-oracle'));
    const code = await resetWithCode(user);
    const wrong = code.startsWith('A') ? `B${code.slice(1)}` : `A${code.slice(1)}`;
    for (const enrollmentCode of [undefined, wrong]) {
      const answers = await Promise.all(
        ['Factory-made-Password-1!', 'a-Wrong-password-1!'].map((Password) =>
          request(t.http)
            .post('/signinBody')
            .send({
              Login: user.userName,
              Password,
              ...(enrollmentCode ? { enrollmentCode } : {}),
            }),
        ),
      );
      const [right, wrongPassword] = answers.map((res) => problemOf(res, 401));
      assert.equal(right.errorType, wrongPassword.errorType);
      assert.equal(right.detail, wrongPassword.detail);
    }
    // The code is still good: nothing was spent.
    assert.equal((await signIn(user, code)).status, 200);
  });

  it('answers 401 enrollment-code-invalid to a wrong code, and still to the right one after', async () => {
    const user = await enrolledUser(t, uniqueName('code-wrong'));
    const code = await resetWithCode(user);
    const wrong = code.startsWith('A') ? `B${code.slice(1)}` : `A${code.slice(1)}`;
    assert.equal(problemOf(await signIn(user, wrong), 401).errorType, 'enrollment-code-invalid');
    assert.equal(
      problemOf(await signIn(user, 'not-a-code'), 401).errorType,
      'enrollment-code-invalid',
    );
    // A wrong password with the right code is the usual refusal (and spends nothing).
    const badPassword = await request(t.http)
      .post('/signinBody')
      .send({ Login: user.userName, Password: 'wrong-Password-1!', enrollmentCode: code });
    assert.equal(problemOf(badPassword, 401).errorType, undefined);
    assert.equal((await signIn(user, code.toLowerCase().replace(/-/g, ' '))).status, 200);
  });

  it('gives an enroll token once: the code used twice is refused', async () => {
    const user = await enrolledUser(t, uniqueName('code-twice'));
    const code = await resetWithCode(user);
    const first = await signIn(user, code);
    assert.equal(first.status, 200, first.text);
    const again = problemOf(await signIn(user, code), 401);
    assert.equal(again.errorType, 'enrollment-code-invalid');
    const used = await allAuditEvents(t, token, {
      action: 'mfa.enrollment-code-used',
      targetId: user.id,
    });
    assert.equal(used.length, 1);
  });

  it('refuses an expired code', async () => {
    const user = await enrolledUser(t, uniqueName('code-old'));
    const code = await resetWithCode(user);
    t.clock.advance(601);
    assert.equal(problemOf(await signIn(user, code), 401).errorType, 'enrollment-code-invalid');
    token = await freshAdminToken(t, admin);
  });

  it('enrols with the right code, and signs in as usual after; the code is stored hashed only', async () => {
    const user = await enrolledUser(t, uniqueName('code-ok'));
    const code = await resetWithCode(user);
    const [row] = await t.sql<{ enrollment_code_hash: string }>(
      'SELECT enrollment_code_hash FROM accounts WHERE id = ?',
      [user.id],
    );
    assert.match(row.enrollment_code_hash, /^[0-9a-f]{64}$/);
    assert.ok(!row.enrollment_code_hash.includes(code.replace(/-/g, '')));
    const preAuth = (await signIn(user, code).expect(200)).body as string;
    const enrolment = await request(t.http)
      .post('/api/v1/Mfa/Enroll')
      .auth(preAuth, bearer)
      .expect(200);
    const secret = (enrolment.body as { secret: string }).secret;
    await request(t.http)
      .post('/api/v1/Mfa/Enroll/Confirm')
      .auth(preAuth, bearer)
      .send({ code: await freshCode(t, secret) })
      .expect(200);
    // Enrolled again: the usual sign-in (an mfa token), no code asked for.
    assert.equal((await signIn(user)).status, 200);
    const items = await history(t, token, user.id);
    assert.deepEqual(
      items.slice(0, 3).map((i) => i.event),
      ['enrolled', 'enrollment-code-used', 'reset'],
    );
  });

  it('answers a batch’s codes by account id', async () => {
    const users = [
      await enrolledUser(t, uniqueName('code-b')),
      await enrolledUser(t, uniqueName('code-b')),
    ];
    const res = await resetBatch(
      t,
      token,
      users.map((u) => u.id),
    );
    assert.equal(res.status, 200, res.text);
    const codes = (res.body as { enrollmentCodes: Record<string, string> }).enrollmentCodes;
    assert.deepEqual(Object.keys(codes).sort(), users.map((u) => u.id).sort());
    assert.notEqual(codes[users[0].id], codes[users[1].id]);
  });
});

describe('GET /api/v1/ManagedAccount/{id}/MfaHistory', () => {
  let t: TestApp;
  let admin: SignedIn;
  let token: string;

  before(async () => {
    ({ t, admin } = await startApp({ LOCKOUT_THRESHOLD: '2' }));
    token = await freshAdminToken(t, admin);
  });
  after(() => t.close());

  it('lists enrolments, resets (by whom, why), lock-outs and their ends, newest first', async () => {
    const name = uniqueName('hist');
    const created = await t.createAccount(token, name);
    const user = await t.enroll(name, created.password);
    // Two wrong codes at the second step lock the account.
    for (let i = 0; i < 2; i++) {
      const preAuth = await t.preAuth(name, created.password);
      await request(t.http)
        .post('/signin2fa')
        .auth(preAuth, bearer)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(await wrongCode(t, user.secret)));
    }
    await request(t.http)
      .patch(`${ACCOUNTS}/${user.id}`)
      .auth(token, bearer)
      .send({ lockedUntil: null })
      .expect(200);
    await resetById(t, token, user.id).send({ reason: 'history', ticket: 'H-1' }).expect(200);
    const items = await history(t, token, user.id);
    assert.deepEqual(
      items.map((i) => i.event),
      ['reset', 'unlocked', 'locked', 'enrolled'],
    );
    assert.equal(items[0].reason, 'history');
    assert.equal(items[0].ticket, 'H-1');
    assert.equal(items[0].byId, admin.id);
    assert.ok(items[2].lockedUntil !== undefined);
    const times = items.map((i) => new Date(i.at).getTime());
    assert.deepEqual(
      [...times].sort((a, b) => b - a),
      times,
    );
    // Paged: one at a time, following next.
    const page = await request(t.http)
      .get(`${ACCOUNTS}/${user.id}/MfaHistory`)
      .query({ take: 1 })
      .auth(token, bearer)
      .expect(200);
    const body = page.body as { items: HistoryItem[]; next: string };
    assert.equal(body.items.length, 1);
    const rest = await request(t.http)
      .get(`${ACCOUNTS}/${user.id}/MfaHistory`)
      .query({ cursor: body.next })
      .auth(token, bearer)
      .expect(200);
    assert.deepEqual(
      (rest.body as { items: HistoryItem[] }).items.map((i) => i.event),
      ['unlocked', 'locked', 'enrolled'],
    );
  });

  it('locks once per lock-out: codes tried while locked neither count nor lock (nor write) again', async () => {
    const name = uniqueName('hist-once');
    const created = await t.createAccount(token, name);
    const user = await t.enroll(name, created.password);
    // One pre-auth token, many wrong codes (a failure does not use the token up).
    const preAuth = await t.preAuth(name, created.password);
    for (let i = 0; i < 7; i++) {
      await request(t.http)
        .post('/signin2fa')
        .auth(preAuth, bearer)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(await wrongCode(t, user.secret)));
    }
    const items = await history(t, token, user.id);
    assert.deepEqual(
      items.map((i) => i.event),
      ['locked', 'enrolled'],
    );
    const messages = await t.sql<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM outbox WHERE account_id = ? AND kind = 'account.locked'",
      [user.id],
    );
    assert.equal(Number(messages[0].n), 1);
  });

  it('needs view-accounts (HelpDesk has it), and answers 404 and 400 as the account GET does', async () => {
    const helpDesk = await enrolledUser(t, uniqueName('hist-hd'), ['HelpDesk']);
    const plain = await enrolledUser(t, uniqueName('hist-user'));
    await request(t.http)
      .get(`${ACCOUNTS}/${plain.id}/MfaHistory`)
      .auth(helpDesk.token, bearer)
      .expect(200);
    problemOf(
      await request(t.http).get(`${ACCOUNTS}/${admin.id}/MfaHistory`).auth(plain.token, bearer),
      403,
    );
    problemOf(
      await request(t.http)
        .get(`${ACCOUNTS}/${randomUUID()}/MfaHistory`)
        .auth(helpDesk.token, bearer),
      404,
    );
    problemOf(
      await request(t.http).get(`${ACCOUNTS}/not-a-uuid/MfaHistory`).auth(helpDesk.token, bearer),
      400,
    );
    problemOf(await request(t.http).get(`${ACCOUNTS}/${plain.id}/MfaHistory`), 401);
  });
});
