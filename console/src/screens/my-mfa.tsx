// My MFA: whether it is on, and resetting it (with step-up), after which one enrols again.

import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call } from '../api';
import type { ScreenProps } from '../caller';
import { Dialog, Field, formatTime, Heading, ProblemMessage } from '../components';
import { Link, navigate } from '../router';
import { useResetKey } from '../reset-key';
import { StepUpCancelled, useStepUp } from '../step-up';
import { texts } from '../texts';

interface MfaStatus {
  readonly enabled: boolean;
  readonly enrolledAt: string | null;
  readonly recoveryCodesLeft: number;
}

export function MyMfa(props: ScreenProps): JSX.Element {
  const [status, setStatus] = useState<MfaStatus | undefined>(undefined);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const { withStepUp, stepUpDialog } = useStepUp();
  const resetKey = useResetKey();

  useEffect(() => {
    call<MfaStatus>('GET', '/api/v1/Mfa').then(setStatus).catch(setProblem);
  }, []);

  const reset = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setProblem(undefined);
    const body = reason.trim() === '' ? undefined : { reason };
    const key = resetKey.keyFor(body ?? {});
    try {
      await withStepUp((headers) =>
        call('PUT', '/api/v1/Mfa/Reset', { body, headers: { ...headers, 'Idempotency-Key': key } }),
      );
      resetKey.done();
      setConfirming(false);
      await props.refreshCaller();
      navigate('/enrol');
    } catch (error) {
      if (!(error instanceof StepUpCancelled)) {
        setConfirming(false);
        setProblem(error);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <Heading>{texts.myMfa.title}</Heading>
      <ProblemMessage problem={problem} />
      {status && (
        <dl class="facts">
          <dt>{texts.myMfa.status}</dt>
          <dd>{status.enabled ? texts.myMfa.on : texts.myMfa.off}</dd>
          <dt>{texts.myMfa.enrolledAt}</dt>
          <dd>{formatTime(status.enrolledAt)}</dd>
          <dt>{texts.myMfa.recoveryLeft}</dt>
          <dd>{status.enabled ? status.recoveryCodesLeft : texts.common.none}</dd>
        </dl>
      )}
      <div class="actions">
        {status && !status.enabled && (
          <Link to="/enrol" class="button primary">
            {texts.myMfa.setUp}
          </Link>
        )}
        {status?.enabled && (
          <button type="button" class="danger" onClick={() => setConfirming(true)}>
            {texts.myMfa.reset}
          </button>
        )}
      </div>
      {confirming && (
        <Dialog title={texts.myMfa.resetTitle} onClose={() => setConfirming(false)}>
          <form onSubmit={(event) => void reset(event)}>
            <p>{texts.myMfa.resetIntro}</p>
            <Field
              id="own-reason"
              label={texts.myMfa.reason}
              value={reason}
              onInput={setReason}
              maxLength={500}
            />
            <div class="actions">
              <button type="submit" class="danger" aria-disabled={busy}>
                {texts.myMfa.resetConfirm}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {texts.common.cancel}
              </button>
            </div>
          </form>
        </Dialog>
      )}
      {stepUpDialog}
    </section>
  );
}
