import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ACCOUNTS } from './support/api';
import { assertProblem } from './support/problem';
import { ADMIN_PASSWORD, TestApp, requestLine } from './support/test-app';

describe('sign-in rate limit', () => {
  let t: TestApp;

  before(async () => {
    t = await TestApp.start({ SIGNIN_RATE_LIMIT: '3' });
  });
  after(() => t.close());

  it('answers the 4th POST /signinBody within a minute 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      await request(t.http)
        .post('/signinBody')
        .send({ Login: 'admin', Password: 'wrong-password-123' })
        .expect(401);
    }
    const res = await request(t.http)
      .post('/signinBody')
      .send({ Login: 'admin', Password: ADMIN_PASSWORD });
    const body = assertProblem(res, 429, '/signinBody');
    assert.equal(body.title, 'Too Many Requests');
    const retryAfter = Number(res.headers['retry-after']);
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60,
      `Retry-After: ${res.headers['retry-after']}`,
    );
    const line = await requestLine(t, body.traceId);
    assert.equal(line.status, 429);
    assert.equal(line.level, 'warn');
  });

  it('does not let a client escape the limit with X-Forwarded-For (TRUST_PROXY off)', async () => {
    const res = await request(t.http)
      .post('/signinBody')
      .set('X-Forwarded-For', '203.0.113.7')
      .send({ Login: 'admin', Password: ADMIN_PASSWORD });
    assertProblem(res, 429, '/signinBody');
  });

  it('limits POST /signin2fa too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await request(t.http)
        .post('/signin2fa')
        .set('Content-Type', 'application/json')
        .send('"123456"');
      statuses.push(res.status);
      if (res.status === 429) assertProblem(res, 429, '/signin2fa');
    }
    assert.equal(statuses.at(-1), 429, `statuses ${statuses.join(', ')}`);
  });

  it('never limits GET /health/live or other endpoints', async () => {
    for (let i = 0; i < 10; i++) await request(t.http).get('/health/live').expect(200);
    for (let i = 0; i < 5; i++) {
      const res = await request(t.http).get(ACCOUNTS);
      assert.equal(res.status, 401);
    }
  });
});

describe('sign-in rate limit shared by both sign-in routes', () => {
  let t: TestApp;

  before(async () => {
    t = await TestApp.start({ SIGNIN_RATE_LIMIT: '3' });
  });
  after(() => t.close());

  it('counts /signinBody and /signin2fa calls of one address against one budget', async () => {
    await request(t.http)
      .post('/signinBody')
      .send({ Login: 'admin', Password: 'wrong-password-123' })
      .expect(401);
    await request(t.http)
      .post('/signin2fa')
      .set('Content-Type', 'application/json')
      .send('"123456"')
      .expect(401);
    await request(t.http)
      .post('/signinBody')
      .send({ Login: 'admin', Password: 'wrong-password-123' })
      .expect(401);
    const fourth = await request(t.http)
      .post('/signin2fa')
      .set('Content-Type', 'application/json')
      .send('"123456"');
    assertProblem(fourth, 429, '/signin2fa');
  });
});
