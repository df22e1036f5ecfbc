import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import request from 'supertest';
import { wrongCode } from '../support/accounts';
import { ACCOUNTS, ROLES } from '../support/api';
import { assertAccessible, launchChromium, openConsole, screenshot } from '../support/browser';
import { ADMIN_PASSWORD, TestApp } from '../support/test-app';

/*
 * The web console at /console, driven in Debian's Chromium against the real service: people sign
 * in, enrol, reset and read the audit log by clicking, as a help desk would. Every call goes
 * through the public API. STEP_UP_MAX_AGE=0 makes every privileged call ask for a code, so the
 * step-up dialog shows each time.
 */

const bearer = { type: 'bearer' } as const;

interface Person {
  readonly userName: string;
  readonly password: string;
  secret: string;
  page: Page;
  problems: string[];
}

describe('web console in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let adminToken: string;
  const admin: Person = {
    userName: 'admin',
    password: ADMIN_PASSWORD,
    secret: '',
    page: undefined as unknown as Page,
    problems: [],
  };
  const alice = { userName: 'alice', password: 'alice-Password-1!' } as Person;
  const helpDesk = { userName: 'helpdesk1', password: 'helpdesk1-Password-1!' } as Person;
  const ids: Record<string, string> = {};

  /** The account's code in a new time step (a code is accepted once per step). */
  const freshCode = (secret: string): Promise<string> => {
    t.nextStep();
    return t.code(secret);
  };

  const heading = (page: Page, name: string): Locator =>
    page.getByRole('heading', { name, exact: true, level: 1 });

  /** Answers the step-up dialog with a fresh code of the person's authenticator. */
  async function stepUp(person: Person, first?: string): Promise<void> {
    const dialog = person.page.getByRole('dialog', { name: 'Confirm it is you' });
    await dialog.waitFor();
    await dialog.getByLabel('Code').fill(first ?? (await freshCode(person.secret)));
    await dialog.getByRole('button', { name: 'Verify' }).click();
  }

  /**
   * Waits (a step's time at most) for the focus to be on the button with that name. A locator,
   * not waitForFunction: Playwright polls a function with eval, which the console's CSP refuses.
   */
  async function focusComesBackTo(page: Page, name: string): Promise<void> {
    try {
      await page.getByRole('button', { name, exact: true }).and(page.locator(':focus')).waitFor();
    } catch (error) {
      const focused = await page.evaluate(
        'document.activeElement && document.activeElement.outerHTML',
      );
      assert.fail(`the focus is on ${String(focused)}, not on "${name}": ${String(error)}`);
    }
  }

  async function signInWithPassword(person: Person): Promise<void> {
    const { page } = person;
    await page.goto('/console/sign-in');
    await page.getByLabel('User name').fill(person.userName);
    await page.getByLabel('Password', { exact: true }).fill(person.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  /** The enrolment screen, as a person goes through it; answers the recovery codes shown. */
  async function enrolInConsole(person: Person, pictures = false): Promise<string[]> {
    const { page } = person;
    await heading(page, 'Set up your authenticator app').waitFor();
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
    await qr.waitFor();
    const drawn = await qr.evaluate((img) => {
      const { complete, naturalWidth } = img as unknown as {
        complete: boolean;
        naturalWidth: number;
      };
      return complete && naturalWidth > 0;
    });
    assert.ok(drawn, 'the QR code is drawn');
    person.secret = await page.getByLabel('Secret').inputValue();
    const appLink = page.getByRole('link', { name: 'Open in an authenticator app on this device' });
    assert.match(String(await appLink.getAttribute('href')), /^otpauth:\/\/totp\/.*secret=/);
    assert.match(person.secret, /^[A-Z2-7]{16,}$/);
    if (pictures) {
      await assertAccessible(page, 'enrolment');
      await screenshot(page, '03-enrol');
    }
    await page.getByLabel('Code').fill(await freshCode(person.secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await heading(page, 'Recovery codes').waitFor();
    const codes = await page.locator('ol.codes code').allTextContents();
    assert.equal(codes.length, 10);
    for (const code of codes) assert.match(code, /^[a-z0-9]{5}-[a-z0-9]{5}$/i);
    if (pictures) {
      await assertAccessible(page, 'recovery codes');
      await screenshot(page, '04-recovery-codes');
    }
    return codes;
  }

  async function continueToMyMfa(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Continue' }).click();
    await heading(page, 'My MFA').waitFor();
    await page.getByText('On', { exact: true }).waitFor();
  }

  async function openAccount(page: Page, userName: string): Promise<void> {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Accounts' })
      .click();
    await heading(page, 'Accounts').waitFor();
    await page.getByLabel('Search accounts').fill(userName);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByRole('link', { name: userName, exact: true }).click();
    await heading(page, userName).waitFor();
  }

  async function mfaEnabled(userName: string): Promise<boolean> {
    const res = await request(t.http).get(`${ACCOUNTS}/${ids[userName]}`).auth(adminToken, bearer);
    assert.equal(res.status, 200, res.text);
    return (res.body as { mfaEnabled: boolean }).mfaEnabled;
  }

  before(async () => {
    t = await TestApp.start({
      STEP_UP_MAX_AGE: '0',
      ACCESS_TOKEN_TTL: '86400',
      LOCKOUT_THRESHOLD: '3',
    });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    Object.assign(admin, await openConsole(browser, base));
  });

  // A failed step leaves a picture of every open page, beside the screens' pictures, and prints
  // what a log without the pictures needs: where each page is, what it says, and the service's
  // last refusals and errors (lines starting "[diagnostics]", which the test runner repeats last).
  afterEach(async (context) => {
    const { passed, name } = context as unknown as { passed?: boolean; name: string };
    if (passed !== false) return;
    const test = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 40);
    const say = (line: string) => console.log(`[diagnostics] ${test}: ${line.slice(0, 400)}`);
    for (const person of [admin, alice, helpDesk]) {
      if (!person.page) continue;
      await screenshot(person.page, `failed-${test}-${person.userName}`);
      const shown = await person.page
        .locator('h1, h2, [role=alert], [role=status], dialog[open]')
        .allInnerTexts();
      say(`${person.userName} at ${person.page.url()}: ${JSON.stringify(shown)}`);
      if (person.problems.length > 0)
        say(`${person.userName}'s page problems: ${JSON.stringify(person.problems)}`);
    }
    for (const line of t.logLines
      .slice(logsBefore)
      .filter((l) => l.level !== 'info')
      .slice(-10))
      say(JSON.stringify(line));
  });
  let logsBefore = 0;
  beforeEach(() => {
    logsBefore = t.logLines.length;
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('has an accessibility check that finds an unlabelled field and poor contrast', async () => {
    const { context, page } = await openConsole(browser, base);
    await page.setContent(
      '<!doctype html><html lang="en"><title>probe</title><main><h1>Probe</h1>' +
        '<input type="text"><p style="color:#aaa;background:#fff">faint text</p></main></html>',
    );
    await assert.rejects(assertAccessible(page, 'probe'), (error: Error) => {
      assert.match(error.message, /label/);
      assert.match(error.message, /color-contrast/);
      return true;
    });
    await context.close();
  });

  it('serves the console with a strict CSP, no-store on the page and year-long caching of hashed assets', async () => {
    const page = await request(t.http).get('/console/accounts').expect(200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.equal(page.headers['cache-control'], 'no-store');
    const csp = String(page.headers['content-security-policy']);
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "frame-ancestors 'none'",
      "form-action 'none'",
      "base-uri 'none'",
      "require-trusted-types-for 'script'",
    ])
      assert.ok(csp.includes(directive), `${directive} in ${csp}`);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https:|\*/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    // No inline script or style: every script and stylesheet is a file of the build.
    assert.doesNotMatch(page.text, /<script(?![^>]*\bsrc=)[^>]*>/);
    assert.doesNotMatch(page.text, /<style|style=/);
    const assets = [...page.text.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map(
      (m) => m[1],
    );
    assert.ok(assets.length >= 2, 'the page names its script and stylesheet');
    for (const asset of assets) {
      assert.match(asset, /-[A-Za-z0-9_-]{8}\.(js|css)$/, 'a content hash in the name');
      const res = await request(t.http).get(asset).expect(200);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    }
    const gzipped = await request(t.http).get(assets[0]).set('Accept-Encoding', 'gzip').expect(200);
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    // Only what the build wrote: no other file, and no path out of the folder.
    await request(t.http).get('/console/assets/index.html').expect(404);
    await request(t.http).get('/console/assets/..%2f..%2fpackage.json').expect(404);
    await request(t.http).get('/console/unknown-screen').expect(404);
    await request(t.http).post('/console').expect(405);
    // The API keeps its own headers.
    const api = await request(t.http).get('/health/live').expect(200);
    assert.notEqual(api.headers['content-security-policy'], csp);
  });

  it("takes the admin's first sign-in and enrolment, keyboard first", async () => {
    const { page } = admin;
    await page.goto('/console');
    await heading(page, 'Sign in').waitFor();
    assert.equal(new URL(page.url()).pathname, '/console');
    await assertAccessible(page, 'sign-in');
    await screenshot(page, '01-sign-in');
    // By keyboard only: Tab to the first field, type, Tab, type, Enter.
    for (let i = 0; i < 5; i++) {
      await page.keyboard.press('Tab');
      if (
        (await page.evaluate('document.activeElement && document.activeElement.id')) === 'username'
      )
        break;
    }
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type(ADMIN_PASSWORD);
    await page.keyboard.press('Enter');
    const codes = await enrolInConsole(admin, true);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download' }).click(),
    ]);
    const file = readFileSync(await download.path(), 'utf8');
    for (const code of codes) assert.ok(file.includes(code), 'the file holds every code');
    await page.getByRole('button', { name: 'Print' }).waitFor();
    await continueToMyMfa(page);
    await assertAccessible(page, 'my MFA');
    await screenshot(page, '05-my-mfa');
    assert.deepEqual(admin.problems, []);

    adminToken = await t.signIn('admin', ADMIN_PASSWORD, admin.secret);
  });

  it('lets a user created through the API enrol in the console, and sign in with a code or a recovery code', async () => {
    for (const [name, roles] of [
      ['alice', ['User']],
      ['helpdesk1', ['HelpDesk']],
      ['bob', ['User']],
      ['carol', ['User']],
    ] as const) {
      const res = await request(t.http)
        .post(ACCOUNTS)
        .auth(adminToken, bearer)
        .set('x-2fa-code', await freshCode(admin.secret))
        .send({
          userName: name,
          displayName: name.charAt(0).toUpperCase() + name.slice(1),
          password: `${name}-Password-1!`,
          roles,
          email: `${name}@example.com`,
        });
      assert.equal(res.status, 201, res.text);
      ids[name] = (res.body as { id: string }).id;
    }
    await t.enroll('bob', 'bob-Password-1!');
    await t.enroll('carol', 'carol-Password-1!');

    Object.assign(alice, await openConsole(browser, base));
    await signInWithPassword(alice);
    const codes = await enrolInConsole(alice);
    await continueToMyMfa(alice.page);
    assert.equal(await mfaEnabled('alice'), true);

    // Signed out, then in again with a code, then with a recovery code.
    await alice.page.getByRole('button', { name: 'Sign out' }).click();
    await heading(alice.page, 'Sign in').waitFor();
    await alice.page.getByText('You are signed out.').waitFor();
    await signInWithPassword(alice);
    await heading(alice.page, 'Enter your code').waitFor();
    await assertAccessible(alice.page, 'code step');
    await screenshot(alice.page, '02-code');
    await alice.page.getByLabel('Code').fill(await wrongCode(t, alice.secret));
    await alice.page.getByRole('button', { name: 'Verify' }).click();
    await alice.page
      .getByRole('alert')
      .getByText(/Trace id: 00-[0-9a-f]{32}-/)
      .waitFor();
    await alice.page
      .getByRole('alert')
      .getByText(/The code is wrong or was already used/)
      .waitFor();
    // Typed as apps show it, with a space in the middle.
    const spaced = await freshCode(alice.secret);
    await alice.page.getByLabel('Code').fill(`${spaced.slice(0, 3)} ${spaced.slice(3)}`);
    await alice.page.getByRole('button', { name: 'Verify' }).click();
    await heading(alice.page, 'My MFA').waitFor();

    await alice.page.getByRole('button', { name: 'Sign out' }).click();
    await signInWithPassword(alice);
    await alice.page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await alice.page.getByLabel('Recovery code').waitFor();
    await alice.page.locator('#code:focus').waitFor();
    await alice.page.keyboard.type(codes[0]);
    await alice.page.getByRole('button', { name: 'Verify' }).click();
    await heading(alice.page, 'My MFA').waitFor();
    await alice.page.getByText('9', { exact: true }).waitFor();
    assert.deepEqual(alice.problems, []);
  });

  it("resets a user's MFA from the account page, with a reason, a ticket and step-up", async () => {
    const { page } = admin;
    await openAccount(page, 'alice');
    await assertAccessible(page, 'account');
    await screenshot(page, '07-account');

    // Escape closes the confirmation and gives the focus back to the button that opened it.
    await page.getByRole('button', { name: 'Reset MFA' }).click();
    await page.getByRole('dialog', { name: 'Reset the MFA of alice?' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await focusComesBackTo(page, 'Reset MFA');
    await page.getByRole('button', { name: 'Reset MFA' }).click();
    const confirm = page.getByRole('dialog', { name: 'Reset the MFA of alice?' });
    await confirm.getByLabel('Reason').fill('Lost phone');
    await confirm.getByLabel('Ticket').fill('INC-1042');
    await assertAccessible(page, 'reset confirmation');
    await screenshot(page, '08-reset-confirmation');
    const keys: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT' && r.url().includes('/ResetMFA/'))
        keys.push(r.headers()['idempotency-key'] ?? '');
    });
    await confirm.getByRole('button', { name: 'Reset', exact: true }).click();

    // A wrong code first: the dialog says so and stays; then the right one.
    await stepUp(admin, await wrongCode(t, admin.secret));
    const stepUpDialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await stepUpDialog.getByRole('alert').waitFor();
    await assertAccessible(page, 'step-up');
    await screenshot(page, '09-step-up');
    await stepUpDialog.getByLabel('Code').fill(await freshCode(admin.secret));
    await stepUpDialog.getByRole('button', { name: 'Verify' }).click();

    await page
      .getByRole('status')
      .getByText(/MFA of alice reset; \d+ sessions? ended\./)
      .waitFor();
    // The call, its retry with the wrong code and with the right one: one reset, one key.
    assert.equal(keys.length, 3);
    assert.match(keys[0], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.deepEqual(new Set(keys).size, 1);
    const row = page.getByRole('row').filter({ hasText: 'Lost phone' });
    await row.getByText('INC-1042').waitFor();
    await row.getByText('reset', { exact: true }).waitFor();
    await screenshot(page, '10-account-after-reset');
    assert.equal(await mfaEnabled('alice'), false);
    assert.deepEqual(admin.problems, []);
  });

  it('sends the reset user back to enrolment, and lets them reset their own MFA with step-up', async () => {
    const { page } = alice;
    // Her session ended with the reset: the console says so and asks her to sign in.
    await page.getByRole('link', { name: 'My MFA' }).click();
    await page.reload();
    await heading(page, 'Sign in').waitFor();
    await page.getByText('Your session has ended. Sign in again.').waitFor();
    await signInWithPassword(alice);
    await enrolInConsole(alice);
    await continueToMyMfa(page);

    await page.getByRole('button', { name: 'Reset my MFA' }).click();
    const confirm = page.getByRole('dialog', { name: 'Reset your MFA?' });
    await confirm.getByRole('button', { name: 'Reset', exact: true }).click();
    await stepUp(alice);
    await enrolInConsole(alice);
    await continueToMyMfa(page);
    assert.equal(await mfaEnabled('alice'), true);
    assert.deepEqual(alice.problems, []);
  });

  it('shows a HelpDesk account the accounts but not the audit log', async () => {
    Object.assign(helpDesk, await openConsole(browser, base));
    const { page } = helpDesk;
    // Enrolment must end within 5 minutes of the password: past that, the console says so.
    await signInWithPassword(helpDesk);
    await heading(page, 'Set up your authenticator app').waitFor();
    const lateSecret = await page.getByLabel('Secret').inputValue();
    t.clock.advance(301);
    await page.getByLabel('Code').fill(await t.code(lateSecret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await heading(page, 'Sign in').waitFor();
    await page.getByText(/The time to enrol has run out/).waitFor();
    await signInWithPassword(helpDesk);
    await enrolInConsole(helpDesk);
    await continueToMyMfa(page);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Accounts' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Audit log' }).count(), 0);
    await page.goto('/console/accounts/0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90');
    await heading(page, 'Account not found').waitFor();
    await page
      .getByRole('alert')
      .getByText(/No such account/)
      .waitFor();
    await page.goto('/console/audit');
    await heading(page, 'Your account is not allowed to see this page.').waitFor();
    await assertAccessible(page, 'not allowed');
    await screenshot(page, '14-not-allowed');
    // The console hides what the API refuses anyway.
    const token = await t.signIn('helpdesk1', helpDesk.password, helpDesk.secret);
    await request(t.http).get('/api/v1/AuditEvent').auth(token, bearer).expect(403);
    assert.deepEqual(helpDesk.problems, []);
  });

  it('resets the accounts selected in the table in one batch', async () => {
    const { page } = admin;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Accounts' })
      .click();
    await heading(page, 'Accounts').waitFor();
    await page.getByLabel('Select bob').check();
    await page.getByLabel('Select carol').check();
    await assertAccessible(page, 'accounts');
    await screenshot(page, '06-accounts');
    await page.getByRole('button', { name: 'Reset MFA of selected (2)' }).click();
    const confirm = page.getByRole('dialog', { name: 'Reset the MFA of 2 accounts?' });
    await confirm.getByText('bob', { exact: true }).waitFor();
    await confirm.getByText('carol', { exact: true }).waitFor();
    await confirm.getByLabel('Reason').fill('Phones replaced');
    await confirm.getByRole('button', { name: 'Reset', exact: true }).click();
    await stepUp(admin);
    await page.getByRole('status').getByText('MFA reset for 2 accounts.').waitFor();
    assert.equal(await mfaEnabled('bob'), false);
    assert.equal(await mfaEnabled('carol'), false);
    assert.deepEqual(admin.problems, []);
  });

  it('shows the burst guard’s 429 with when to retry and the trace id', async () => {
    const roles = (await request(t.http).get(ROLES).auth(adminToken, bearer)).body as {
      name: string;
      permissions: string[];
    }[];
    await request(t.http)
      .put(`${ROLES}/HelpDesk`)
      .auth(adminToken, bearer)
      .set('x-2fa-code', await freshCode(admin.secret))
      .send({ permissions: roles.find((r) => r.name === 'HelpDesk')!.permissions, resetBudget: 1 })
      .expect(200);
    const { page } = helpDesk;
    for (const [name, answer] of [
      ['bob', /MFA of bob reset/],
      ['carol', /Try again in \d+ s \(at \d\d:\d\d:\d\d UTC\)\./],
    ] as const) {
      await openAccount(page, name);
      await page.getByRole('button', { name: 'Reset MFA' }).click();
      await page
        .getByRole('dialog', { name: `Reset the MFA of ${name}?` })
        .getByLabel('Reason')
        .fill('Asked by phone');
      await page.getByRole('button', { name: 'Reset', exact: true }).click();
      await stepUp(helpDesk);
      await page.getByText(answer).waitFor();
    }
    await page
      .getByRole('alert')
      .getByText(/Trace id: 00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}/)
      .waitFor();
    await assertAccessible(page, 'problem');
    await screenshot(page, '11-rate-limited');
    assert.deepEqual(helpDesk.problems, []);
  });

  it('unlocks a locked account, with step-up', async () => {
    const bob = await t.enroll('bob', 'bob-Password-1!');
    const preAuth = await t.preAuth('bob', bob.password);
    for (let i = 0; i < t.config.lockout.threshold; i++) {
      await request(t.http)
        .post('/signin2fa')
        .auth(preAuth, bearer)
        .send({ code: await wrongCode(t, bob.secret) })
        .expect(401);
    }
    // A name stored before such characters were refused shows them as code points.
    await t.sql('UPDATE accounts SET display_name = ? WHERE id = ?', ['Bob\u202eNIMDA', ids.bob]);
    const { page } = admin;
    await openAccount(page, 'bob');
    await page.getByText('Bob<U+202E>NIMDA', { exact: true }).waitFor();
    assert.equal(await page.getByText('Not locked').count(), 0);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await stepUp(admin);
    await page.getByRole('status').getByText('The account is unlocked.').waitFor();
    await page.getByText('Not locked').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Unlock' }).count(), 0);
  });

  it('pages and filters the audit log, and verifies the chain', async () => {
    const { page } = admin;
    await page.getByRole('link', { name: 'Audit log' }).click();
    await heading(page, 'Audit log').waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByRole('status').getByText('Chain valid').waitFor();
    await assertAccessible(page, 'audit log');
    await screenshot(page, '12-audit-log');

    // Newest first, 50 a page: the next page starts below the first one's last row.
    const firstSeq = Number(await page.locator('tbody tr td').first().textContent());
    assert.ok(firstSeq > 50, `enough events for two pages (${firstSeq})`);
    await page.getByRole('button', { name: 'Older' }).click();
    await page.waitForURL(/cursor=/);
    await page
      .locator('tbody tr td')
      .first()
      .getByText(String(firstSeq - 50), { exact: true })
      .waitFor();
    await page.getByRole('button', { name: 'Newest' }).click();
    await page
      .locator('tbody tr td')
      .first()
      .getByText(String(firstSeq), { exact: true })
      .waitFor();

    await page.getByLabel('Action').fill('mfa.reset');
    await page.getByLabel('Target id').fill(ids.alice);
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/action=mfa\.reset/);
    await page.getByRole('row').filter({ hasText: 'INC-1042' }).waitFor();
    // Until the filtered answer replaced the page shown before it.
    await page
      .locator('tbody tr td:nth-child(3)')
      .filter({ hasNotText: /^mfa\.reset$/ })
      .first()
      .waitFor({ state: 'detached' });
    const actions = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    assert.ok(actions.length >= 2);
    assert.ok(
      actions.every((a) => a === 'mfa.reset'),
      actions.join(),
    );

    // An edited row breaks the chain, and the console says where.
    await t.sql("UPDATE audit_events SET actor_name = 'someone else' WHERE seq = 3");
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page
      .getByRole('status')
      .getByText(/Chain broken: event #3 /)
      .waitFor();
    await screenshot(page, '13-audit-chain-broken');
    assert.deepEqual(admin.problems, []);
  });

  it('takes a person who opens a screen by its URL there once signed in', async () => {
    const { context, page, problems } = await openConsole(browser, base);
    await page.goto('/console/accounts?search=carol');
    await heading(page, 'Sign in').waitFor();
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Code').fill(await freshCode(admin.secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await heading(page, 'Accounts').waitFor();
    assert.equal(new URL(page.url()).search, '?search=carol');
    await page.getByRole('link', { name: 'carol', exact: true }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'bob', exact: true }).count(), 0);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("refuses what another site's page sends from the browser, before any password is checked", async () => {
    const before = await request(t.http)
      .get('/api/v1/AuditEvent?action=sign-in.failed&take=200')
      .auth(adminToken, bearer)
      .expect(200);
    // A page on another origin posts guesses without CORS (the answers, unreadable, are refused
    // to it by Cross-Origin-Resource-Policy: the sends still reach the service).
    const evil = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(
        `<!doctype html><title>evil</title><script>
          for (let i = 0; i < 5; i++)
            fetch(${JSON.stringify(`${base}/signinBody`)}, {
              method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' },
              body: JSON.stringify({ Login: 'admin', Password: 'guess' + i }),
            }).finally(() => { window.sent = (window.sent || 0) + 1; });
        </script>`,
      );
    });
    await new Promise<void>((resolve) => evil.listen(0, 'localhost', resolve));
    const { context, page } = await openConsole(browser, base);
    try {
      await page.goto(`http://localhost:${(evil.address() as AddressInfo).port}/`);
      await page.waitForFunction('window.sent === 5');
    } finally {
      await context.close();
      evil.close();
    }
    const refused = t.logLines.filter(
      (l) => l.msg === 'request completed' && l.path === '/signinBody' && l.status === 403,
    );
    assert.equal(refused.length, 5);
    const after = await request(t.http)
      .get('/api/v1/AuditEvent?action=sign-in.failed&take=200')
      .auth(adminToken, bearer)
      .expect(200);
    assert.deepEqual(
      (after.body as { items: unknown[] }).items.length,
      (before.body as { items: unknown[] }).items.length,
    );
  });

  it('works on a host name over plain HTTP, where Chromium sends no Fetch Metadata, and still refuses another site there', async () => {
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const named = await launchChromium([
      '--host-resolver-rules=MAP mfa.test 127.0.0.1, MAP evil.test 127.0.0.1',
    ]);
    const evil = createServer((_req, res) => {
      res.setHeader('Content-Type', 'text/html');
      res.end(
        `<!doctype html><title>evil</title><script>
          for (let i = 0; i < 3; i++)
            fetch('http://mfa.test:${port}/signinBody', {
              method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' },
              body: JSON.stringify({ Login: 'admin', Password: 'guess' + i }),
            }).finally(() => { window.sent = (window.sent || 0) + 1; });
        </script>`,
      );
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      // The console, signed in, resets an account: its calls carry this host as their Origin.
      const { page, problems } = await openConsole(named, `http://mfa.test:${port}`);
      await page.goto('/console/sign-in');
      await page.getByLabel('User name').fill('admin');
      await page.getByLabel('Password', { exact: true }).fill(ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByLabel('Code').fill(await freshCode(admin.secret));
      await page.getByRole('button', { name: 'Verify' }).click();
      await heading(page, 'My MFA').waitFor();
      await page.goto(`/console/accounts/${ids.carol}`);
      await heading(page, 'carol').waitFor();
      await page.getByRole('button', { name: 'Reset MFA' }).click();
      const confirm = page.getByRole('dialog', { name: 'Reset the MFA of carol?' });
      await confirm.getByLabel('Reason').fill('Checked over plain HTTP');
      await confirm.getByRole('button', { name: 'Reset', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
      await dialog.getByLabel('Code').fill(await freshCode(admin.secret));
      await dialog.getByRole('button', { name: 'Verify' }).click();
      await page
        .getByRole('status')
        .getByText(/MFA of carol reset/)
        .waitFor();
      // Over plain HTTP the browser ignores Cross-Origin-Opener-Policy, and says so: nothing else.
      assert.deepEqual(
        problems.filter((p) => !/Cross-Origin-Opener-Policy header has been ignored/.test(p)),
        [],
      );

      const refusedBefore = t.logLines.filter(
        (l) => l.msg === 'request completed' && l.path === '/signinBody' && l.status === 403,
      ).length;
      const other = await openConsole(
        named,
        `http://evil.test:${(evil.address() as AddressInfo).port}`,
      );
      await other.page.goto('/');
      await other.page.waitForFunction('window.sent === 3');
      const refused = t.logLines.filter(
        (l) => l.msg === 'request completed' && l.path === '/signinBody' && l.status === 403,
      ).length;
      assert.equal(refused - refusedBefore, 3);
    } finally {
      await named.close();
      evil.close();
    }
  });

  it('works at 360 px wide, with nothing wider than the screen', async () => {
    const { page } = admin;
    await page.setViewportSize({ width: 360, height: 740 });
    for (const [path, title, name] of [
      ['/console/mfa', 'My MFA', '15-narrow-my-mfa'],
      ['/console/accounts', 'Accounts', '16-narrow-accounts'],
      [`/console/accounts/${ids.alice}`, 'alice', '17-narrow-account'],
      ['/console/audit', 'Audit log', '18-narrow-audit-log'],
    ] as const) {
      await page.goto(path);
      await heading(page, title).waitFor();
      const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
      assert.ok(width <= 360, `${path} is ${width} px wide`);
      await assertAccessible(page, `${title} at 360 px`);
      await screenshot(page, name);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
    assert.deepEqual(admin.problems, []);
  });
});

describe('web console in Chromium: re-enrolment with an enrolment code', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  before(async () => {
    t = await TestApp.start({ RESET_ENROLLMENT_CODE: 'true' });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await t?.close();
  });

  it('asks for the code the reset answered, refuses a wrong one, and enrols with the right one', async () => {
    const admin = await t.enrolledAdmin();
    await t.createAccount(admin.token, 'dave', ['User']);
    const dave = await t.enroll('dave', 'dave-Password-1!');
    const reset = await request(t.http)
      .put(`/api/v1/ManagedAccount/ResetMFA/${dave.id}`)
      .auth(admin.token, bearer)
      .send({ reason: 'New phone' });
    assert.equal(reset.status, 200, reset.text);
    const { enrollmentCode } = reset.body as { enrollmentCode: string };

    const { context, page, problems } = await openConsole(browser, base);
    await page.goto('/console/sign-in');
    await page.getByLabel('User name').fill('dave');
    await page.getByLabel('Password', { exact: true }).fill(dave.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const field = page.getByLabel('Enrolment code');
    await field.waitFor();
    await page
      .getByRole('alert')
      .getByText(/MFA was reset: enrolling again needs/)
      .waitFor();
    await page
      .getByRole('alert')
      .getByText(/Trace id: 00-/)
      .waitFor();
    await assertAccessible(page, 'enrolment code');

    await field.fill('AAAA-AAAA-AAAA');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('alert')
      .getByText(/enrolment code is wrong, used or expired/)
      .waitFor();
    await page.getByLabel('Password', { exact: true }).fill(dave.password);
    await field.fill(enrollmentCode);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page, 'Set up your authenticator app').waitFor();
    assert.deepEqual(problems, []);
    await context.close();
  });

  const heading = (page: Page, name: string): Locator =>
    page.getByRole('heading', { name, exact: true, level: 1 });
});
