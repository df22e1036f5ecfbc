// Step-up: when the service answers a call with totp-required (or totp-invalid), ask for a code in
// a dialog and send the same call again with it in x-2fa-code.

import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiProblem } from './api';
import { codeAsTyped, Dialog, Field, ProblemMessage } from './components';
import { texts } from './texts';

export type StepUpHeaders = Readonly<Record<string, string>>;

/** Thrown when the person closes the step-up dialog. */
export class StepUpCancelled extends Error {}

interface Ask {
  readonly method: 'totp' | 'password';
  readonly problem: ApiProblem | undefined;
  readonly resolve: (code: string | undefined) => void;
}

function needsStepUp(error: unknown): error is ApiProblem {
  return (
    error instanceof ApiProblem &&
    error.status === 400 &&
    (error.errorType === 'totp-required' || error.errorType === 'totp-invalid')
  );
}

function methodOf(problem: ApiProblem, previous: 'totp' | 'password'): 'totp' | 'password' {
  const methods = problem.details?.availableMethods;
  if (Array.isArray(methods)) return methods.includes('totp') ? 'totp' : 'password';
  const method = problem.details?.method;
  return method === 'password' || method === 'totp' ? method : previous;
}

export function useStepUp(): {
  readonly withStepUp: <T>(attempt: (headers: StepUpHeaders) => Promise<T>) => Promise<T>;
  readonly stepUpDialog: JSX.Element | null;
} {
  const [ask, setAsk] = useState<Ask | undefined>(undefined);
  const [code, setCode] = useState('');
  // The question waiting for an answer: one at a time, and none left hanging when the screen goes.
  const pending = useRef<Ask | undefined>(undefined);
  useEffect(() => () => pending.current?.resolve(undefined), []);

  async function withStepUp<T>(attempt: (headers: StepUpHeaders) => Promise<T>): Promise<T> {
    let headers: StepUpHeaders = {};
    let method: 'totp' | 'password' = 'totp';
    for (;;) {
      try {
        return await attempt(headers);
      } catch (error) {
        if (!needsStepUp(error)) throw error;
        method = methodOf(error, method);
        const shown = error.errorType === 'totp-invalid' ? error : undefined;
        pending.current?.resolve(undefined);
        const entered = await new Promise<string | undefined>((resolve) => {
          setCode('');
          const question: Ask = { method, problem: shown, resolve };
          pending.current = question;
          setAsk(question);
        });
        pending.current = undefined;
        // The code or password is not kept once sent.
        setCode('');
        setAsk(undefined);
        if (entered === undefined) throw new StepUpCancelled('step-up cancelled');
        headers = { 'x-2fa-code': entered, 'x-2fa-method': method };
      }
    }
  }

  const stepUpDialog = ask ? (
    <Dialog title={texts.stepUp.title} onClose={() => ask.resolve(undefined)}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          ask.resolve(ask.method === 'totp' ? codeAsTyped(code) : code);
        }}
      >
        <p>{ask.method === 'totp' ? texts.stepUp.intro : texts.stepUp.introPassword}</p>
        <ProblemMessage problem={ask.problem} />
        <Field
          id="step-up-code"
          label={ask.method === 'totp' ? texts.stepUp.code : texts.stepUp.password}
          type={ask.method === 'totp' ? 'text' : 'password'}
          inputMode={ask.method === 'totp' ? 'numeric' : undefined}
          autoComplete={ask.method === 'totp' ? 'one-time-code' : 'current-password'}
          value={code}
          onInput={setCode}
          required
          autoFocus
        />
        <div class="actions">
          <button type="submit" class="primary">
            {texts.stepUp.verify}
          </button>
          <button type="button" onClick={() => ask.resolve(undefined)}>
            {texts.common.cancel}
          </button>
        </div>
      </form>
    </Dialog>
  ) : null;

  return { withStepUp, stepUpDialog };
}
