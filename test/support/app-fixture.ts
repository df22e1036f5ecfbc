import { AddressInfo } from 'node:net';
import type { SignedIn } from './test-app';
import { TestApp } from './test-app';

export interface StartedApp {
  readonly t: TestApp;
  readonly admin: SignedIn;
}

export interface ContractApp extends StartedApp {
  /** An enrolled account with the User role only. */
  readonly plainUser: SignedIn;
  /** The port it listens on, for raw HTTP and socket tests. */
  readonly port: number;
}

/**
 * The one way a suite starts its app: a fresh database, the bootstrap admin enrolled. The suite
 * closes it in `after(() => t.close())`.
 */
export async function startApp(env: Record<string, string> = {}): Promise<StartedApp> {
  const t = await TestApp.start(env);
  return { t, admin: await t.enrolledAdmin() };
}

/** The app of the HTTP contract suites: listening on a port, with a plain user besides. */
export async function startContractApp(): Promise<ContractApp> {
  const { t, admin } = await startApp();
  await t.createAccount(admin.token, 'plain-user', ['User']);
  const plainUser = await t.enroll('plain-user', 'plain-user-Password-1!');
  await t.app.listen(0, '127.0.0.1');
  const port = (t.app.getHttpServer().address() as AddressInfo).port;
  return { t, admin, plainUser, port };
}
