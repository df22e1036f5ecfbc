// A worked example of a client generated from the service's OpenAPI document (npm run generate):
// the administrator signs in, creates a user, the user enrols an authenticator app, and the
// administrator resets that user's MFA. Every call goes through the generated, typed functions.
import { createHmac } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { client } from './generated/client.gen.js';
import {
  confirmMfaEnrollment,
  createAccount,
  resetMfaAsync,
  signIn,
  signInSecondFactor,
  startMfaEnrollment,
} from './generated/sdk.gen.js';

// The document's server is "/": a generated client needs the absolute address of the service.
// Without it some generators build "//api/v1/...", which a browser reads as the host "api".
client.setConfig({
  baseUrl: process.env.MFA_ADMIN_URL ?? 'http://127.0.0.1:3000',
  throwOnError: true,
});

/** RFC 6238 (SHA-1, 6 digits, 30 s): this script plays the new user's authenticator app. */
function totp(base32Secret: string, now = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32Secret.replace(/=+$/, '').toUpperCase())
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

async function main(): Promise<void> {
  const adminLogin = process.env.MFA_ADMIN_USER ?? 'admin';
  const adminPassword = process.env.MFA_ADMIN_PASSWORD;
  if (adminPassword === undefined) throw new Error('set MFA_ADMIN_PASSWORD');

  // 1. The administrator signs in: password, then the code from the authenticator app.
  const { data: adminPreAuth } = await signIn({
    body: { login: adminLogin, password: adminPassword },
  });
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const adminCode = (await prompt.question(`Code for ${adminLogin} (or a recovery code): `)).trim();
  prompt.close();
  const { data: adminToken } = await signInSecondFactor({ auth: adminPreAuth, body: adminCode });

  // 2. A new user (roles left out: User, which grants nothing, so no step-up is asked).
  const userName = `example-${Date.now().toString(36)}`;
  const userPassword = `${userName}-Passw0rd!`;
  const { data: account } = await createAccount({
    auth: adminToken,
    body: {
      userName,
      displayName: 'Example User',
      email: `${userName}@example.com`,
      password: userPassword,
    },
  });

  // 3. The user signs in (an enroll token: no MFA yet) and enrols an authenticator app.
  const { data: enrollToken } = await signIn({
    body: { login: userName, password: userPassword },
  });
  const { data: enrollment } = await startMfaEnrollment({ auth: enrollToken });
  const { data: confirmed } = await confirmMfaEnrollment({
    auth: enrollToken,
    body: { code: totp(enrollment.secret) },
  });

  // 4. The administrator resets the user's MFA. The sign-in of step 1 is a recent MFA proof;
  //    later than STEP_UP_MAX_AGE, send the current code: headers: { 'x-2fa-code': '123456' }.
  const { data: reset } = await resetMfaAsync({ auth: adminToken, path: { id: account.id } });

  console.log(
    `result: ${JSON.stringify({
      userId: account.id,
      recoveryCodes: confirmed.recoveryCodes.length,
      mfaWasEnabled: reset.mfaWasEnabled,
      sessionsRevoked: reset.sessionsRevoked,
    })}`,
  );
}

main().catch((error: unknown) => {
  // A problem+json answer arrives here as the parsed body (traceId leads to the service's log).
  console.error('failed:', error instanceof Error ? error.message : JSON.stringify(error));
  process.exitCode = 1;
});
