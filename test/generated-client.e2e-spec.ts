import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServiceProcess, buildService, freePort, projectRoot } from './support/service-process';
import { PostgresTestDatabase, testDatabaseKind } from './support/test-database';
import { totpAt } from './support/totp';

const ADMIN_PASSWORD = 'generated-Client-pw-1!';
const EXAMPLE_FILES = ['package.json', 'tsconfig.json', 'openapi-ts.config.mjs', 'walkthrough.ts'];

/** Runs a command to its end; its output is in the assertion message when it fails. */
function run(args: string[], cwd: string, env: Record<string, string> = {}): string {
  const result = spawnSync(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(result.status, 0, `${args.join(' ')}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

async function call(base: string, path: string, init: RequestInit): Promise<unknown> {
  const res = await fetch(`${base}${path}`, init);
  assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
  return res.json();
}

/**
 * examples/typescript-client as a newcomer uses it: a client generated from the served document
 * by @hey-api/openapi-ts, type-checked strictly with the walk-through, then run against the
 * compiled service (sign-in, a new user's enrolment, a reset), with no cast anywhere.
 */
describe('a client generated from the OpenAPI document (examples/typescript-client)', () => {
  const root = projectRoot();
  let service: ServiceProcess;
  let base: string;
  let dataDir: string;
  let work: string;
  let database: PostgresTestDatabase | undefined;
  let recoveryCode: string;
  let adminToken: string;

  before(async () => {
    const main = buildService(root);
    dataDir = mkdtempSync(join(tmpdir(), 'mfa-admin-client-'));
    if (testDatabaseKind() === 'postgres') database = await PostgresTestDatabase.create();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = ServiceProcess.start(main, {
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...(database ? { DATABASE_URL: database.url } : {}),
    });
    await service.waitForOk(`${base}/health/ready`, 15_000);

    // The administrator enrols first, as a newcomer does by hand.
    const json = { 'content-type': 'application/json' };
    const enrollToken = (await call(base, '/signinBody', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ Login: 'admin', Password: ADMIN_PASSWORD }),
    })) as string;
    const bearer = { authorization: `Bearer ${enrollToken}` };
    const { secret } = (await call(base, '/api/v1/Mfa/Enroll', {
      method: 'POST',
      headers: bearer,
    })) as { secret: string };
    const confirmed = (await call(base, '/api/v1/Mfa/Enroll/Confirm', {
      method: 'POST',
      headers: { ...bearer, ...json },
      body: JSON.stringify({ code: await totpAt(secret, new Date()) }),
    })) as { recoveryCodes: string[]; token: string };
    // The walk-through signs in again at once: a recovery code, since this step's code is spent.
    recoveryCode = confirmed.recoveryCodes[0];
    adminToken = confirmed.token;

    // Inside the checkout, so that the generator and TypeScript resolve from its node_modules.
    mkdirSync(join(root, '.test-client'), { recursive: true });
    work = mkdtempSync(join(root, '.test-client', 'example-'));
    for (const file of EXAMPLE_FILES)
      copyFileSync(join(root, 'examples', 'typescript-client', file), join(work, file));
  });

  after(async () => {
    await service?.kill();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('generates, type-checks strictly, and drives sign-in, enrolment and a reset', async () => {
    const generator = join(root, 'node_modules', '@hey-api', 'openapi-ts', 'bin', 'run.js');
    run([generator, '-f', 'openapi-ts.config.mjs', '--no-log-file', '-s'], work, {
      MFA_ADMIN_URL: base,
    });
    run([join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], work);

    const child = spawn(process.execPath, ['out/walkthrough.js'], {
      cwd: work,
      env: { ...process.env, MFA_ADMIN_URL: base, MFA_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      if (stdout.includes('(or a recovery code): ') && child.stdin.writable)
        child.stdin.end(`${recoveryCode}\n`);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, `${stdout}${stderr}`);

    // The prompt's line ends where the answer was typed (not echoed): the result follows it.
    const line = /result: (\{.*\})/.exec(stdout);
    assert.ok(line, stdout);
    const result = JSON.parse(line[1]) as {
      userId: string;
      recoveryCodes: number;
      mfaWasEnabled: boolean;
      sessionsRevoked: number;
    };
    assert.equal(result.recoveryCodes, 10);
    assert.equal(result.mfaWasEnabled, true);
    assert.ok(result.sessionsRevoked >= 1, JSON.stringify(result));

    // The service agrees: the user exists and its MFA is off again.
    const account = (await call(base, `/api/v1/ManagedAccount/${result.userId}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    })) as { mfaEnabled: boolean; mfaEnrolledAt: string | null };
    assert.equal(account.mfaEnabled, false);
    assert.equal(account.mfaEnrolledAt, null);
  });
});
