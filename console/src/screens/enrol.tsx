// First enrolment (or enrolling again after a reset): QR code and secret, a code to confirm, then
// the ten recovery codes, shown once.

import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiProblem, call, type Caller } from '../api';
import { codeAsTyped, Field, Heading, ProblemMessage } from '../components';
import { Link, navigate } from '../router';
import { storeToken } from '../session';
import { texts } from '../texts';

interface Enrolment {
  readonly secret: string;
  readonly otpauthUri: string;
  readonly qrCodeSvg: string;
}

function downloadCodes(codes: readonly string[], user: string): void {
  const text = [texts.enrol.fileHeading(user), '', ...codes, ''].join('\n');
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = texts.enrol.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function Enrol(props: {
  readonly caller: Caller | undefined;
  readonly onEnrolled: () => Promise<void>;
}): JSX.Element {
  const [enrolment, setEnrolment] = useState<Enrolment | undefined>(undefined);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [alreadyOn, setAlreadyOn] = useState(false);
  const [code, setCode] = useState('');
  const [copied, setCopied] = useState(false);
  const [busy, setBusy] = useState(false);
  const [recoveryCodes, setRecoveryCodes] = useState<readonly string[] | undefined>(undefined);

  useEffect(() => {
    call<Enrolment>('POST', '/api/v1/Mfa/Enroll')
      .then(setEnrolment)
      .catch((error: unknown) => {
        if (error instanceof ApiProblem && error.status === 409) setAlreadyOn(true);
        else setProblem(error);
      });
  }, []);

  const confirm = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const answer = await call<{ recoveryCodes: string[]; token: string }>(
        'POST',
        '/api/v1/Mfa/Enroll/Confirm',
        { body: { code: codeAsTyped(code) } },
      );
      storeToken(answer.token);
      setRecoveryCodes(answer.recoveryCodes);
      await props.onEnrolled();
    } catch (error) {
      setCode('');
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  const copySecret = async () => {
    if (!enrolment) return;
    try {
      await navigator.clipboard.writeText(enrolment.secret);
      setCopied(true);
    } catch {
      // No clipboard (an insecure origin, or refused): select the secret for the person to copy.
      const input = document.getElementById('secret');
      if (input instanceof HTMLInputElement) input.select();
    }
  };

  if (recoveryCodes) {
    return (
      <section class="narrow">
        <Heading>{texts.enrol.recoveryTitle}</Heading>
        <p>{texts.enrol.recoveryIntro}</p>
        <ol class="codes" aria-label={texts.enrol.recoveryTitle}>
          {recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <div class="actions no-print">
          <button
            type="button"
            onClick={() => downloadCodes(recoveryCodes, props.caller?.userName ?? '')}
          >
            {texts.enrol.download}
          </button>
          <button type="button" onClick={() => window.print()}>
            {texts.enrol.print}
          </button>
          <button type="button" class="primary" onClick={() => navigate('/mfa', { replace: true })}>
            {texts.enrol.continue}
          </button>
        </div>
      </section>
    );
  }

  if (alreadyOn) {
    return (
      <section class="narrow">
        <Heading>{texts.enrol.title}</Heading>
        <p>{texts.enrol.alreadyOn}</p>
        <p>
          <Link to="/mfa">{texts.nav.myMfa}</Link>
        </p>
      </section>
    );
  }

  return (
    <section class="narrow">
      <Heading>{texts.enrol.title}</Heading>
      <ProblemMessage problem={problem} />
      {problem instanceof ApiProblem && problem.status === 401 && (
        <p>
          {texts.enrol.expired} <Link to="/sign-in">{texts.common.toSignIn}</Link>
        </p>
      )}
      {enrolment ? (
        <>
          <p>{texts.enrol.intro}</p>
          <img
            class="qr"
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrCodeSvg)}`}
            alt={texts.enrol.qrAlt}
            width={220}
            height={220}
          />
          <p>
            <a href={enrolment.otpauthUri}>{texts.enrol.openInApp}</a>
          </p>
          <div class="field">
            <label for="secret">{texts.enrol.secret}</label>
            <div class="secret-row">
              <input
                id="secret"
                class="secret"
                type="text"
                readOnly
                value={enrolment.secret}
                spellcheck={false}
              />
              <button type="button" onClick={() => void copySecret()}>
                {copied ? texts.common.copied : texts.common.copy}
              </button>
            </div>
          </div>
          <form onSubmit={(event) => void confirm(event)}>
            <Field
              id="code"
              label={texts.enrol.code}
              value={code}
              onInput={setCode}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
            />
            <div class="actions">
              <button type="submit" class="primary" disabled={busy}>
                {texts.enrol.confirm}
              </button>
            </div>
          </form>
        </>
      ) : (
        !problem && <p class="loading">{texts.common.loading}</p>
      )}
    </section>
  );
}
