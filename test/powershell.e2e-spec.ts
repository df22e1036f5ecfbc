import assert from 'node:assert/strict';
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
  },
  'PowerShell 7.4': {
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.22631; en-US) PowerShell/7.4.6',
    extra: {} as Record<string, string>,
    loginJson: (login: string, password: string) =>
      `{\n  "Login": ${JSON.stringify(login)},\n  "Password": ${JSON.stringify(password)}\n}`,
  },
};

function formHeaders(
  client: (typeof CLIENTS)[keyof typeof CLIENTS],
  body: string,
  bearer?: string,
): Record<string, string> {
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
});
