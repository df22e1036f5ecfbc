import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { rawRequest } from './support/raw-http';
import { projectRoot } from './support/service-process';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';

/**
 * What Invoke-RestMethod sends (TOOLCHAIN.md): `-Body <string>` without `-ContentType` goes as
 * application/x-www-form-urlencoded; Windows PowerShell 5.1 adds `Expect: 100-continue` and
 * `Connection: Keep-Alive`; no Accept header; a bodiless PUT sends Content-Length: 0 and no type.
 */
const CLIENTS = {
  'Windows PowerShell 5.1': {
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.19045; en-US) WindowsPowerShell/5.1.19041.4648',
    extra: { Expect: '100-continue', Connection: 'Keep-Alive' } as Record<string, string>,
    // ConvertTo-Json of a hashtable in 5.1: four-space indent, two spaces after the colon.
    loginJson: (login: string, password: string) =>
      `{\r\n    "Password":  ${JSON.stringify(password)},\r\n    "Login":  ${JSON.stringify(login)}\r\n}`,
    // ConvertTo-Json -Compress of an [ordered] dictionary in 5.1 (JavaScriptSerializer): members in
    // order, and ' < > & written as \u0027 \u003c \u003e \u0026; other characters as they are.
    resetJson: (fields: ResetFields) =>
      JSON.stringify(fields).replace(
        /['<>&]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      ),
  },
  'PowerShell 7.4': {
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.22631; en-US) PowerShell/7.4.6',
    extra: {} as Record<string, string>,
    loginJson: (login: string, password: string) =>
      `{\n  "Login": ${JSON.stringify(login)},\n  "Password": ${JSON.stringify(password)}\n}`,
    resetJson: (fields: ResetFields) => JSON.stringify(fields),
  },
};

type Client = (typeof CLIENTS)[keyof typeof CLIENTS];

/** The body the script builds from -Reason/-Ticket (or a CSV row's Reason and Ticket). */
interface ResetFields {
  reason?: string;
  ticket?: string;
}

/** What the script gives Invoke-RestMethod as -ContentType for a reset with a body. */
const RESET_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * One reset as the script's Invoke-Reset sends it: PUT with the row's Idempotency-Key and, when
 * there is a reason or ticket, the JSON as UTF-8 bytes (-Body [byte[]]) under RESET_CONTENT_TYPE.
 */
function scriptReset(
  client: Client,
  token: string,
  key: string,
  fields?: ResetFields,
): { headers: Record<string, string>; body: Buffer | undefined } {
  const body = fields === undefined ? undefined : Buffer.from(client.resetJson(fields), 'utf8');
  return {
    headers: {
      'User-Agent': client.userAgent,
      Authorization: `Bearer ${token}`,
      'Idempotency-Key': key,
      ...(body === undefined
        ? { 'Content-Length': '0' }
        : { 'Content-Type': RESET_CONTENT_TYPE, 'Content-Length': String(body.length) }),
      ...client.extra,
    },
    body,
  };
}

interface AuditItem {
  action: string;
  outcome: string;
  targetId: string | null;
  details: Record<string, unknown> | null;
}

/** The mfa.reset audit events of one account, as GET /api/v1/AuditEvent lists them. */
async function resetEvents(port: number, token: string, targetId: string): Promise<AuditItem[]> {
  const res = await rawRequest(
    port,
    'GET',
    `/api/v1/AuditEvent?action=mfa.reset&targetId=${targetId}`,
    { Authorization: `Bearer ${token}` },
  );
  assert.equal(res.status, 200, res.text);
  return (JSON.parse(res.text) as { items: AuditItem[] }).items;
}

function formHeaders(client: Client, body: string, bearer?: string): Record<string, string> {
  return {
    'User-Agent': client.userAgent,
    'Content-Type': 'application/x-www-form-urlencoded',
    'Content-Length': String(Buffer.byteLength(body)),
    ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
    ...client.extra,
  };
}

for (const [name, client] of Object.entries(CLIENTS)) {
  describe(`the NPS sample's requests as ${name} sends them`, () => {
    let t: TestApp;
    let port: number;
    let admin: SignedIn;
    let target: { id: string };
    const agent = new Agent({ keepAlive: true });

    before(async () => {
      ({ t, admin } = await startApp());
      target = await t.createAccount(admin.token, 'lost-phone');
      await t.enroll('lost-phone', 'lost-phone-Password-1!');
      await t.app.listen(0, '127.0.0.1');
      port = (t.app.getHttpServer().address() as AddressInfo).port;
    });
    after(async () => {
      agent.destroy();
      await t.close();
    });

    async function signIn(): Promise<string> {
      const loginBody = client.loginJson('admin', ADMIN_PASSWORD);
      const first = await rawRequest(
        port,
        'POST',
        '/signinBody',
        formHeaders(client, loginBody),
        loginBody,
        agent,
      );
      assert.equal(first.status, 200, first.text);
      if (client.extra.Expect)
        assert.equal(first.continued, true, 'the server answered 100 Continue');
      const preAuth = JSON.parse(first.text) as unknown;
      assert.equal(
        typeof preAuth,
        'string',
        'Invoke-RestMethod turns a JSON string into a plain string',
      );
      t.nextStep();
      const code = await t.code(admin.secret);
      const second = await rawRequest(
        port,
        'POST',
        '/signin2fa',
        formHeaders(client, code, preAuth as string),
        code,
        agent,
      );
      assert.equal(second.status, 200, second.text);
      assert.match(String(second.headers['content-type']), /^application\/json/);
      return JSON.parse(second.text) as string;
    }

    it('signs in with ConvertTo-Json $Login and the bare code, both under the form content type', async () => {
      const token = await signIn();
      assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    });

    it('resets MFA with a bodiless PUT carrying only the bearer token', async () => {
      const token = await signIn();
      const res = await rawRequest(
        port,
        'PUT',
        `/api/v1/ManagedAccount/ResetMFA/${target.id}`,
        {
          'User-Agent': client.userAgent,
          Authorization: `Bearer ${token}`,
          'Content-Length': '0',
          ...client.extra,
        },
        undefined,
        agent,
      );
      assert.equal(res.status, 200, res.text);
      const body = JSON.parse(res.text) as { id: string; userName: string; mfaWasEnabled: boolean };
      assert.equal(body.id, target.id);
      assert.equal(body.userName, 'lost-phone');
    });

    it('resets a CSV batch with ConvertTo-Json -InputObject @{ ids = ... } under the form content type', async () => {
      const token = await signIn();
      const body = JSON.stringify({ ids: [target.id, admin.id] });
      const res = await rawRequest(
        port,
        'PUT',
        '/api/v1/ManagedAccount/ResetMFA',
        formHeaders(client, body, token),
        body,
        agent,
      );
      assert.equal(res.status, 200, res.text);
      assert.deepEqual((JSON.parse(res.text) as { userids: string[] }).userids, [
        target.id,
        admin.id,
      ]);
      // The admin reset itself: its own session survives, its MFA is off, so enrol again for later tests.
      const again = await rawRequest(
        port,
        'PUT',
        `/api/v1/ManagedAccount/ResetMFA/${target.id}`,
        { Authorization: `Bearer ${token}`, 'Content-Length': '0' },
        undefined,
        agent,
      );
      assert.equal(again.status, 200, again.text);
      admin = await t.enrolledAdmin();
    });

    it("answers the script's -WhatIf look-up (a GET per id) with the account, or 404, changing nothing", async () => {
      const token = await signIn();
      const get = (id: string) =>
        rawRequest(
          port,
          'GET',
          `/api/v1/ManagedAccount/${id}`,
          { 'User-Agent': client.userAgent, Authorization: `Bearer ${token}`, ...client.extra },
          undefined,
          agent,
        );
      const found = await get(target.id);
      assert.equal(found.status, 200, found.text);
      const account = JSON.parse(found.text) as { userName: string; mfaEnabled: boolean };
      assert.equal(account.userName, 'lost-phone');
      const missing = await get('0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90');
      assert.equal(missing.status, 404);
      assert.ok(missing.headers['content-length'], 'the 404 body reaches $_.ErrorDetails');
    });

    it('answers errors with a Content-Length and charset, so $_.ErrorDetails.Message is filled', async () => {
      const token = await signIn();
      const res = await rawRequest(
        port,
        'PUT',
        '/api/v1/ManagedAccount/ResetMFA/not-a-guid',
        {
          'User-Agent': client.userAgent,
          Authorization: `Bearer ${token}`,
          'Content-Length': '0',
          ...client.extra,
        },
        undefined,
        agent,
      );
      assert.equal(res.status, 400);
      assert.equal(res.headers['transfer-encoding'], undefined);
      assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.text));
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      const problem = JSON.parse(res.text) as { errors: Record<string, string[]> };
      assert.ok(problem.errors.id);
    });

    it('answers a wrong password with 401 problem details the script can show', async () => {
      const loginBody = client.loginJson('admin', 'not-the-password');
      const res = await rawRequest(
        port,
        'POST',
        '/signinBody',
        formHeaders(client, loginBody),
        loginBody,
        agent,
      );
      assert.equal(res.status, 401);
      assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.text));
      assert.equal((JSON.parse(res.text) as { status: number }).status, 401);
    });

    /** A fresh account to reset, so that its audit trail holds only what a test did. */
    let accounts = 0;
    async function newTarget(token: string): Promise<string> {
      accounts += 1;
      return (await t.createAccount(token, `reason-target-${accounts}`)).id;
    }

    async function send(
      path: string,
      request: { headers: Record<string, string>; body: Buffer | undefined },
    ) {
      const res = await rawRequest(port, 'PUT', path, request.headers, request.body, agent);
      if (client.extra.Expect && request.body !== undefined)
        assert.equal(res.continued, true, 'the server answered 100 Continue before the body');
      return res;
    }

    it('resets with -Reason/-Ticket as the script sends them (UTF-8 JSON, Idempotency-Key): the audit event keeps both', async () => {
      const token = await signIn();
      const id = await newTarget(token);
      // An apostrophe and <, >, &: 5.1 writes them as \u0027, \u003c, \u003e, \u0026.
      const fields = { reason: "Lost phone <O'Brien & Co>, identity checked", ticket: 'INC-4711' };
      const request = scriptReset(client, token, randomUUID(), fields);
      if (name === 'Windows PowerShell 5.1')
        assert.match(request.body!.toString('utf8'), /\\u0027.*\\u003e/, "5.1's escapes are sent");
      const res = await send(`/api/v1/ManagedAccount/ResetMFA/${id}`, request);
      assert.equal(res.status, 200, res.text);
      assert.equal((JSON.parse(res.text) as { id: string }).id, id);
      const events = await resetEvents(port, token, id);
      assert.equal(events.length, 1);
      assert.equal(events[0].outcome, 'success');
      assert.equal(events[0].details?.reason, fields.reason);
      assert.equal(events[0].details?.ticket, fields.ticket);
    });

    it('answers a retry with the same Idempotency-Key and body as the first time, resetting nothing again', async () => {
      const token = await signIn();
      const id = await newTarget(token);
      const key = randomUUID();
      const fields = { reason: 'New phone', ticket: 'INC-4712' };
      const path = `/api/v1/ManagedAccount/ResetMFA/${id}`;
      const first = await send(path, scriptReset(client, token, key, fields));
      assert.equal(first.status, 200, first.text);
      assert.equal(first.headers['idempotent-replayed'], undefined);
      const retry = await send(path, scriptReset(client, token, key, fields));
      assert.equal(retry.status, 200, retry.text);
      assert.equal(retry.headers['idempotent-replayed'], 'true');
      assert.deepEqual(JSON.parse(retry.text), JSON.parse(first.text));
      assert.equal((await resetEvents(port, token, id)).length, 1, 'one reset, one audit event');
      // Why a retry must resend the very same body: under the same key another body is refused.
      const other = await send(
        path,
        scriptReset(client, token, key, { ...fields, ticket: 'INC-4713' }),
      );
      assert.equal(other.status, 422, other.text);
      assert.equal(
        (JSON.parse(other.text) as { errorType: string }).errorType,
        'idempotency-key-reused',
      );
      assert.equal((await resetEvents(port, token, id)).length, 1);
    });

    it('keeps a reason beyond ASCII intact when sent as UTF-8 bytes, as the script sends it', async () => {
      const token = await signIn();
      const id = await newTarget(token);
      // An en dash is not even in ISO-8859-1.
      const fields = {
        reason: 'Handy verloren – Identität per Rückruf geprüft ✓',
        ticket: 'ÄÖÜ-1',
      };
      const request = scriptReset(client, token, randomUUID(), fields);
      assert.ok(request.body!.includes(Buffer.from('Rückruf', 'utf8')), 'UTF-8 on the wire');
      const res = await send(`/api/v1/ManagedAccount/ResetMFA/${id}`, request);
      assert.equal(res.status, 200, res.text);
      const [event] = await resetEvents(port, token, id);
      assert.equal(event.details?.reason, fields.reason);
      assert.equal(event.details?.ticket, fields.ticket);
    });

    it('refuses the same JSON as a string -Body in ISO-8859-1 bytes under charset=utf-8, resetting nothing', async () => {
      const token = await signIn();
      const id = await newTarget(token);
      const json = client.resetJson({ reason: 'Identität per Rückruf geprüft' });
      const latin1 = Buffer.from(json, 'latin1');
      const res = await send(`/api/v1/ManagedAccount/ResetMFA/${id}`, {
        headers: {
          ...scriptReset(client, token, randomUUID()).headers,
          'Content-Type': RESET_CONTENT_TYPE,
          'Content-Length': String(latin1.length),
        },
        body: latin1,
      });
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(await resetEvents(port, token, id), []);
    });

    it('stops a help desk past its reset budget with 429, Retry-After and nothing reset; the same key works once the budget allows', async () => {
      const token = await signIn();
      const role = JSON.stringify({
        permissions: ['edit-other-user-totp', 'view-accounts'],
        resetBudget: 1,
      });
      const budget = await rawRequest(
        port,
        'PUT',
        '/api/v1/Role/HelpDesk',
        {
          Authorization: `Bearer ${token}`,
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(role)),
        },
        role,
      );
      assert.equal(budget.status, 200, budget.text);
      await t.createAccount(token, 'budget-desk', ['HelpDesk']);
      const desk = await t.enroll('budget-desk', 'budget-desk-Password-1!');
      const [first, second] = [await newTarget(token), await newTarget(token)];
      const fields = { reason: 'Lost phone', ticket: 'INC-4714' };
      const done = await send(
        `/api/v1/ManagedAccount/ResetMFA/${first}`,
        scriptReset(client, desk.token, randomUUID(), fields),
      );
      assert.equal(done.status, 200, done.text);

      const key = randomUUID();
      const path = `/api/v1/ManagedAccount/ResetMFA/${second}`;
      const refused = await send(path, scriptReset(client, desk.token, key, fields));
      assert.equal(refused.status, 429, refused.text);
      // What the script reads: the Retry-After header (or details.retryAfterSeconds), the
      // problem in $_.ErrorDetails.Message (5.1 fills it only with a Content-Length).
      const retryAfter = Number(refused.headers['retry-after']);
      assert.ok(Number.isInteger(retryAfter) && retryAfter > 0, refused.headers['retry-after']);
      assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(Number(refused.headers['content-length']), Buffer.byteLength(refused.text));
      const problem = JSON.parse(refused.text) as {
        status: number;
        errorType: string;
        details: { retryAfterSeconds: number };
      };
      assert.equal(problem.status, 429);
      assert.equal(problem.errorType, 'reset-budget-exceeded');
      assert.equal(problem.details.retryAfterSeconds, retryAfter);
      assert.deepEqual(await resetEvents(port, token, second), [], 'nothing was reset');

      // A refused call frees its key: the .remaining.csv row, sent with it later, is reset.
      t.clock.advance(retryAfter);
      const later = await send(path, scriptReset(client, desk.token, key, fields));
      assert.equal(later.status, 200, later.text);
      assert.equal(later.headers['idempotent-replayed'], undefined);
      const events = await resetEvents(port, token, second);
      assert.equal(events.length, 1);
      assert.equal(events[0].details?.ticket, 'INC-4714');
    });
  });
}

describe('a password beyond ASCII, in the encodings PowerShell sends a string -Body in', () => {
  const password = 'Pässwörd-für-Zürich-1';
  let t: TestApp;
  let port: number;

  before(async () => {
    t = await TestApp.start();
    const admin = await t.enrolledAdmin();
    await t.createAccount(admin.token, 'umlaut', ['User'], password);
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  after(() => t.close());

  const cases = [
    // Windows PowerShell 5.1 (and PowerShell before 7.4): ISO-8859-1 when no charset is given.
    { client: 'Windows PowerShell 5.1', encoding: 'latin1' },
    { client: 'PowerShell 7.4', encoding: 'utf8' },
  ] as const;
  for (const { client, encoding } of cases) {
    it(`signs in as ${client} sends it (${encoding} bytes, form content type, no charset)`, async () => {
      const json = CLIENTS[client].loginJson('umlaut', password);
      const bytes = Buffer.from(json, encoding);
      const res = await rawRequest(
        port,
        'POST',
        '/signinBody',
        { ...formHeaders(CLIENTS[client], json), 'Content-Length': String(bytes.length) },
        bytes,
      );
      assert.equal(res.status, 200, res.text);
    });
  }

  it('refuses JSON that is not UTF-8: RFC 8259 allows no other encoding', async () => {
    const bytes = Buffer.from(JSON.stringify({ Login: 'umlaut', Password: password }), 'latin1');
    const res = await rawRequest(
      port,
      'POST',
      '/signinBody',
      { 'Content-Type': 'application/json', 'Content-Length': String(bytes.length) },
      bytes,
    );
    assert.equal(res.status, 400, res.text);
  });

  it('reads a declared charset, and answers 415 for one it does not know', async () => {
    const json = JSON.stringify({ Login: 'umlaut', Password: password });
    const latin1 = Buffer.from(json, 'latin1');
    const declared = await rawRequest(
      port,
      'POST',
      '/signinBody',
      {
        'Content-Type': 'application/json; charset=iso-8859-1',
        'Content-Length': String(latin1.length),
      },
      latin1,
    );
    assert.equal(declared.status, 200, declared.text);
    const unknown = await rawRequest(
      port,
      'POST',
      '/signinBody',
      {
        'Content-Type': 'application/json; charset=klingon',
        'Content-Length': String(latin1.length),
      },
      latin1,
    );
    assert.equal(unknown.status, 415, unknown.text);
  });
});

describe("the script's reset where reasons are required and enrolment codes handed out", () => {
  const client = CLIENTS['Windows PowerShell 5.1'];
  let t: TestApp;
  let admin: SignedIn;
  let port: number;

  before(async () => {
    ({ t, admin } = await startApp({
      RESET_REASON_REQUIRED: 'true',
      RESET_ENROLLMENT_CODE: 'true',
    }));
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  after(() => t.close());

  it('refuses a reset without -Reason with a 400 naming the reason, resetting nothing', async () => {
    const { id } = await t.createAccount(admin.token, 'no-reason');
    const { headers, body } = scriptReset(client, admin.token, randomUUID());
    const res = await rawRequest(
      port,
      'PUT',
      `/api/v1/ManagedAccount/ResetMFA/${id}`,
      headers,
      body,
    );
    assert.equal(res.status, 400, res.text);
    assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.text));
    assert.ok((JSON.parse(res.text) as { errors: Record<string, string[]> }).errors.reason);
    assert.deepEqual(await resetEvents(port, admin.token, id), []);
  });

  it('answers the enrolment code the script shows, and the same code again to a retry', async () => {
    const { id } = await t.createAccount(admin.token, 'gets-a-code');
    const request = scriptReset(client, admin.token, randomUUID(), { reason: 'New phone' });
    const path = `/api/v1/ManagedAccount/ResetMFA/${id}`;
    const first = await rawRequest(port, 'PUT', path, request.headers, request.body);
    assert.equal(first.status, 200, first.text);
    const answer = JSON.parse(first.text) as {
      enrollmentCode?: string;
      enrollmentCodeExpiresAt?: string;
    };
    assert.match(answer.enrollmentCode ?? '', /\S/);
    assert.ok(!Number.isNaN(Date.parse(answer.enrollmentCodeExpiresAt ?? '')));
    // The first answer lost on the way: the retry shows the same code, and issues no other.
    const retry = await rawRequest(port, 'PUT', path, request.headers, request.body);
    assert.equal(retry.status, 200, retry.text);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.deepEqual(JSON.parse(retry.text), answer);
    const events = await resetEvents(port, admin.token, id);
    assert.equal(events.length, 1);
    assert.equal(events[0].details?.reason, 'New phone');
    assert.equal(events[0].details?.enrollmentCodeIssued, true);
  });
});

describe('examples/Reset-Mfa.ps1', () => {
  const script = readFileSync(join(projectRoot(), 'examples', 'Reset-Mfa.ps1'), 'utf8');

  it('reads a prompted password in a way that works on 5.1 and on 7 everywhere', () => {
    assert.doesNotMatch(
      script,
      /\]::PtrToStringAuto\(/,
      'one character on PowerShell 7 for Linux/macOS',
    );
    assert.match(script, /\[System\.Net\.NetworkCredential\]::new\('', \$Secure\)\.Password/);
  });

  it('looks every id up (GET) before -WhatIf or -Confirm says what it would do', () => {
    const lookUp = script.indexOf('-Method GET -Uri "$BaseUrl/api/v1/ManagedAccount/$Id"');
    const shouldProcess = script.indexOf('$PSCmdlet.ShouldProcess(');
    assert.ok(lookUp > 0 && shouldProcess > lookUp, 'the look-up comes first');
    assert.ok(
      script.indexOf('$Password = [System.Net.NetworkCredential]') < shouldProcess,
      'it signs in before ShouldProcess, so -WhatIf can look ids up',
    );
  });

  it('takes an API key (-ApiKey or MFA_ADMIN_API_KEY) and sends it as the NPS sample does', () => {
    assert.match(script, /\[string\] \$ApiKey = \$env:MFA_ADMIN_API_KEY/);
    assert.match(script, /\$Headers = @\{ Authorization = \$ApiKey \}/);
  });

  /** The text of `function <name> ... { ... }`, braces matched. */
  function functionText(name: string): string {
    const start = script.indexOf(`function ${name}`);
    assert.ok(start >= 0, `function ${name} is there`);
    return braced(script, script.indexOf('{', start));
  }

  /** From the `{` at `open` to its matching `}`. */
  function braced(text: string, open: number): string {
    let depth = 0;
    for (let i = open; i < text.length; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}' && --depth === 0) return text.slice(open, i + 1);
    }
    throw new Error('unbalanced braces');
  }

  /** The block of the first statement that starts with `head` (a loop, an if). */
  function blockAfter(head: string, within = script): string {
    const start = within.indexOf(head);
    assert.ok(start >= 0, `${head} is there`);
    return braced(within, within.indexOf('{', start + head.length));
  }

  it('declares -Reason and -Ticket, documents them, and sends them as the JSON body {reason, ticket}', () => {
    const params = script.slice(script.indexOf('param('), script.indexOf('\n)\n'));
    assert.match(params, /\[string\] \$Reason\b/);
    assert.match(params, /\[string\] \$Ticket\b/);
    assert.match(script, /^\.PARAMETER Reason$/m);
    assert.match(script, /^\.PARAMETER Ticket$/m);
    const json = functionText('ConvertTo-ResetJson');
    assert.ok(json.includes('$Fields = [ordered]@{}'), 'members in order');
    assert.ok(json.includes("$Fields['reason'] = $RowReason"));
    assert.ok(json.includes("$Fields['ticket'] = $RowTicket"));
    assert.ok(json.includes('ConvertTo-Json -InputObject $Fields -Compress'));
  });

  it('sends that JSON as UTF-8 bytes under the content type the replays use', () => {
    const reset = functionText('Invoke-Reset');
    assert.ok(reset.includes('[byte[]] $Bytes = [System.Text.Encoding]::UTF8.GetBytes($Json)'));
    assert.ok(reset.includes("$Request['Body'] = $Bytes"));
    assert.ok(reset.includes(`$Request['ContentType'] = '${RESET_CONTENT_TYPE}'`));
    assert.ok(reset.includes('Uri        = "$BaseUrl/api/v1/ManagedAccount/ResetMFA/$Id"'));
    assert.doesNotMatch(script, /-Body \$Json|\['Body'\] = \$Json/, 'never the string itself');
    assert.doesNotMatch(script, /ManagedAccount\/ResetMFA"/, 'no batch call: one call per row');
  });

  it("reads the CSV as UTF-8, a row's own Reason and Ticket winning over -Reason and -Ticket", () => {
    const rows = blockAfter('foreach ($Record in @(Import-Csv -Path $CsvPath -Encoding UTF8))');
    assert.ok(rows.includes('Reason = Select-Text $Record.Reason $Reason'));
    assert.ok(rows.includes('Ticket = Select-Text $Record.Ticket $Ticket'));
    const select = functionText('Select-Text');
    assert.ok(select.includes('foreach ($Value in $args)'), 'the first non-empty value wins');
    // Checked before anything is reset (a bad row must not stop a run half-way).
    const checks = script.indexOf("Assert-Justification $Row.Reason 'reason' 500");
    assert.ok(checks > 0 && checks < script.indexOf('$PSCmdlet.ShouldProcess('));
    assert.ok(script.includes("Assert-Justification $Row.Ticket 'ticket' 100"));
  });

  it('gives every row an Idempotency-Key of its own (a new GUID) and sends its retries with that key and body', () => {
    const rows = blockAfter('foreach ($Record in @(Import-Csv');
    assert.ok(rows.includes('$Key = [guid]::NewGuid().ToString()'), 'a new key per CSV row');
    assert.ok(rows.includes('Key    = $Key'));
    assert.ok(script.includes('Key    = [guid]::NewGuid().ToString()'), 'and for -UserId');
    const resets = blockAfter('for ($I = 0; $I -lt $Rows.Count; $I++)');
    assert.ok(
      resets.includes(
        'Invoke-Reset -Id $Row.Id -Json (ConvertTo-ResetJson $Row.Reason $Row.Ticket) -Key $Row.Key',
      ),
    );
    const reset = functionText('Invoke-Reset');
    const loop = blockAfter('for ($Attempt = 0; ; $Attempt++)', reset);
    const header = reset.indexOf("$RowHeaders['Idempotency-Key'] = $Key");
    assert.ok(header > 0 && header < reset.indexOf(loop), 'the key is set once, before the loop');
    assert.ok(loop.includes('Invoke-RestMethod @Request'));
    for (const rebuilt of ['NewGuid', '$Request[', '$RowHeaders[', '$Bytes', '$Key'])
      assert.ok(!loop.includes(rebuilt), `a retry changes nothing of the request (${rebuilt})`);
  });

  it('retries up to 3 times on a network error, a 5xx or a 409, waiting a little longer each time', () => {
    assert.match(script, /^\$MaxRetries = 3$/m);
    const loop = blockAfter('for ($Attempt = 0; ; $Attempt++)', functionText('Invoke-Reset'));
    const retryable = loop.slice(loop.indexOf('$Retryable ='), loop.indexOf('if (-not $Retryable'));
    assert.ok(retryable.includes('$Status -ge 500'));
    assert.ok(retryable.includes('$Status -eq 409'));
    assert.ok(retryable.includes('Test-TransportError $Failure.Exception'));
    assert.doesNotMatch(retryable, /429|4\d\d(?<!409)/, 'a 429 or another refusal is final');
    assert.ok(loop.includes('if (-not $Retryable -or $Attempt -ge $MaxRetries)'));
    assert.ok(loop.includes('$Wait = $RetryWaitSeconds * ($Attempt + 1)'));
    assert.ok(loop.includes('Start-Sleep -Seconds $Wait'));
    const transport = functionText('Test-TransportError');
    assert.ok(transport.includes('[System.Net.WebException]'), '5.1: no answer at all');
    assert.ok(transport.includes("'System.Net.Http.HttpRequestException'"), '7: no answer at all');
  });

  it('stops at a 429 (or any final failure), reports the rows reset and the Retry-After, and prints a summary', () => {
    const resets = blockAfter('for ($I = 0; $I -lt $Rows.Count; $I++)');
    assert.match(resets, /if \(\$Answer\.Error\) \{[^}]*\bbreak\b[^}]*\}/);
    const afterLoop = script.slice(script.indexOf(resets) + resets.length);
    assert.ok(
      afterLoop.includes('Write-Host "Summary: $($Done.Count) of $($Rows.Count) user(s) reset."'),
    );
    assert.ok(afterLoop.includes('Write-Host "Reset: $(($Done | ForEach-Object { $_.Id }) -join'));
    const budget = blockAfter('if ($Stop.Status -eq 429)', afterLoop);
    assert.ok(budget.includes('Retry-After: $After'));
    assert.ok(budget.includes('exit 2'));
    const retryAfter = functionText('Get-RetryAfter');
    assert.ok(retryAfter.includes("$Response.Headers['Retry-After']"), '5.1: WebHeaderCollection');
    assert.ok(
      retryAfter.includes("$Response.Headers.TryGetValues('Retry-After', [ref] $Values)"),
      '7: HttpResponseHeaders',
    );
    assert.ok(
      retryAfter.includes('return [string] $Problem.details.retryAfterSeconds'),
      'or the problem',
    );
    // The rows not reset, each with its key, for the next run.
    assert.ok(afterLoop.includes("$Copy['IdempotencyKey'] = $_.Key"));
  });

  it('shows the enrolment code when the answer carries one', () => {
    const resets = blockAfter('for ($I = 0; $I -lt $Rows.Count; $I++)');
    const shown = blockAfter('if ($Result.enrollmentCode)', resets);
    assert.ok(shown.includes('$($Result.enrollmentCode)'));
    assert.ok(shown.includes('$($Result.enrollmentCodeExpiresAt)'));
  });

  it('resets nobody when an id is missing, and nothing under -WhatIf', () => {
    const lookUp = script.indexOf('-Method GET -Uri "$BaseUrl/api/v1/ManagedAccount/$Id"');
    const missing = script.indexOf('Nothing was reset."');
    const shouldProcess = script.indexOf('$PSCmdlet.ShouldProcess(');
    const firstReset = script.indexOf('Invoke-Reset -Id');
    assert.ok(lookUp < missing && missing < shouldProcess && shouldProcess < firstReset);
    assert.match(script.slice(missing, shouldProcess), /^\s*exit 1$/m);
    assert.match(script.slice(shouldProcess, firstReset), /^\s*return$/m);
  });

  it('refuses a CSV file with an API key and -MfaCode: such a code proves one call only', () => {
    const refusal = script.indexOf('if ($ApiKey -and $MfaCode -and $Rows.Count -gt 1)');
    assert.ok(refusal > 0 && refusal < script.indexOf('$WebSession = New-Object'));
  });

  it('stays valid for Windows PowerShell 5.1: ASCII, no 7-only syntax or parameters', () => {
    // 5.1 reads a script without a BOM in the ANSI code page.
    assert.ok(
      [...script].every((c) => c.charCodeAt(0) < 0x80),
      'ASCII only',
    );
    for (const seven of ['??', '?.', '&&', '||', ' ? ']) assert.ok(!script.includes(seven), seven);
    for (const seven of [
      '-SkipHttpErrorCheck',
      '-StatusCodeVariable',
      '-ResponseHeadersVariable',
      '-MaximumRetryCount',
      '-RetryIntervalSec',
      '-SkipCertificateCheck',
      '-AsHashtable',
      '-Parallel',
      '-EscapeHandling',
    ])
      assert.ok(!script.includes(seven), `${seven} is PowerShell 6 or later`);
    // "$Where: ..." is a parse error (a drive-qualified variable); "${Where}: ..." is not.
    assert.doesNotMatch(script, /\$[A-Za-z_]\w*:(?![A-Za-z_])/);
  });
});
