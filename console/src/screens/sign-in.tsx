// Sign-in: user name and password, then a code from the app or a recovery code.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { ApiProblem, call } from '../api';
import { codeAsTyped, Field, Heading, ProblemMessage } from '../components';
import { navigate } from '../router';
import { kindOf, storeToken } from '../session';
import { texts } from '../texts';

export function SignIn(props: {
  readonly notice?: string;
  readonly onSignedIn: () => Promise<void>;
  /** The screen to show once signed in (My MFA when none). */
  readonly next?: string;
}): JSX.Element {
  const [userName, setUserName] = useState('');
  const [password, setPassword] = useState('');
  const [enrollmentCode, setEnrollmentCode] = useState<string | undefined>(undefined);
  const [preAuth, setPreAuth] = useState<string | undefined>(undefined);
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState(false);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);

  const finish = async (token: string, to: string) => {
    storeToken(token);
    await props.onSignedIn();
    navigate(to, { replace: true });
  };

  const signIn = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const body: Record<string, string> = { login: userName, password };
      if (enrollmentCode !== undefined) body.enrollmentCode = enrollmentCode;
      const token = await call<string>('POST', '/signinBody', { body, token: null });
      setPassword('');
      if (kindOf(token) === 'enroll') await finish(token, '/enrol');
      else setPreAuth(token);
    } catch (error) {
      if (error instanceof ApiProblem && error.errorType === 'enrollment-code-required') {
        setEnrollmentCode('');
      }
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  const verify = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const token = await call<string>('POST', '/signin2fa', {
        body: { code: codeAsTyped(code) },
        token: preAuth,
      });
      await finish(token, props.next ?? '/mfa');
    } catch (error) {
      setCode('');
      // A pre-auth token lives five minutes and a refused one ends: start over.
      if (
        error instanceof ApiProblem &&
        error.status === 401 &&
        error.errorType !== 'totp-invalid'
      ) {
        setPreAuth(undefined);
      }
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  if (preAuth !== undefined) {
    return (
      <section class="narrow">
        <Heading>{texts.signIn.codeTitle}</Heading>
        <ProblemMessage problem={problem} />
        <form onSubmit={(event) => void verify(event)}>
          <Field
            key={recovery ? 'recovery' : 'totp'}
            id="code"
            label={recovery ? texts.signIn.recoveryCode : texts.signIn.code}
            hint={recovery ? texts.signIn.recoveryHint : texts.signIn.codeHint}
            value={code}
            onInput={setCode}
            inputMode={recovery ? 'text' : 'numeric'}
            autoComplete="one-time-code"
            required
            autoFocus
          />
          <div class="actions">
            <button type="submit" class="primary" disabled={busy}>
              {texts.signIn.verify}
            </button>
          </div>
        </form>
        <p class="actions">
          <button
            type="button"
            class="link"
            onClick={() => {
              setRecovery(!recovery);
              setCode('');
            }}
          >
            {recovery ? texts.signIn.useCode : texts.signIn.useRecovery}
          </button>
          <button
            type="button"
            class="link"
            onClick={() => {
              setPreAuth(undefined);
              setProblem(undefined);
            }}
          >
            {texts.signIn.startOver}
          </button>
        </p>
      </section>
    );
  }

  return (
    <section class="narrow">
      <Heading>{texts.signIn.title}</Heading>
      {props.notice && !problem && (
        <p class="notice" role="status">
          {props.notice}
        </p>
      )}
      <ProblemMessage problem={problem} />
      <form onSubmit={(event) => void signIn(event)}>
        <Field
          id="username"
          label={texts.signIn.userName}
          value={userName}
          onInput={setUserName}
          autoComplete="username"
          required
          maxLength={256}
        />
        <Field
          id="password"
          label={texts.signIn.password}
          type="password"
          value={password}
          onInput={setPassword}
          autoComplete="current-password"
          required
          maxLength={1024}
        />
        {enrollmentCode !== undefined && (
          <Field
            id="enrollment-code"
            label={texts.signIn.enrollmentCode}
            hint={texts.signIn.enrollmentCodeHint}
            value={enrollmentCode}
            onInput={setEnrollmentCode}
            required
          />
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {texts.signIn.submit}
          </button>
        </div>
      </form>
    </section>
  );
}
