// One account: its MFA state and history; Reset MFA (with reason, ticket and step-up) and Unlock.

import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  ApiProblem,
  call,
  type Account,
  type HistoryItem,
  type Page,
  type ResetResult,
} from '../api';
import { can, type ScreenProps } from '../caller';
import { formatTime, Heading, Notice, ProblemMessage, shown } from '../components';
import { ResetDialog, resetBody, type ResetWhy } from '../reset-dialog';
import { Link } from '../router';
import { useResetKey } from '../reset-key';
import { StepUpCancelled, useStepUp } from '../step-up';
import { texts } from '../texts';

export function AccountPage(props: ScreenProps & { readonly id: string }): JSX.Element {
  const { id } = props;
  const [account, setAccount] = useState<Account | undefined>(undefined);
  const [history, setHistory] = useState<readonly HistoryItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);
  const { withStepUp, stepUpDialog } = useStepUp();
  const resetKey = useResetKey();
  // Bumped with every new account or reload: an answer for an older one is dropped.
  const generation = useRef(0);
  const [loadingMore, setLoadingMore] = useState(false);
  const path = `/api/v1/ManagedAccount/${encodeURIComponent(id)}`;

  // Another account's page (a link from the audit log) shows nothing of the previous one.
  useEffect(() => {
    setAccount(undefined);
    setHistory([]);
    setNext(null);
    setProblem(undefined);
    setNotice(undefined);
  }, [path]);

  useEffect(() => {
    // Answers for another account, or from before a reload, that arrive late are dropped.
    generation.current += 1;
    let current = true;
    call<Account>('GET', path)
      .then((answer) => {
        if (!current) return undefined;
        setAccount(answer);
        return call<Page<HistoryItem>>('GET', `${path}/MfaHistory?take=20`);
      })
      .then((page) => {
        if (!current || page === undefined) return;
        setHistory(page.items);
        setNext(page.next);
      })
      .catch((error: unknown) => current && setProblem(error));
    return () => {
      current = false;
    };
  }, [path, reload]);

  const more = async () => {
    if (next === null || loadingMore) return;
    const asked = generation.current;
    setLoadingMore(true);
    try {
      const page = await call<Page<HistoryItem>>(
        'GET',
        `${path}/MfaHistory?take=20&cursor=${encodeURIComponent(next)}`,
      );
      if (asked !== generation.current) return;
      setHistory((shown) => [...shown, ...page.items]);
      setNext(page.next);
    } catch (error) {
      if (asked === generation.current) setProblem(error);
    } finally {
      setLoadingMore(false);
    }
  };

  const reset = async (why: ResetWhy) => {
    if (!account) return;
    setBusy(true);
    setProblem(undefined);
    setNotice(undefined);
    const body = resetBody(why);
    const key = resetKey.keyFor({ id: account.id, body });
    try {
      const result = await withStepUp((headers) =>
        call<ResetResult>('PUT', `/api/v1/ManagedAccount/ResetMFA/${account.id}`, {
          body,
          headers: { ...headers, 'Idempotency-Key': key },
        }),
      );
      resetKey.done();
      setConfirming(false);
      let message = texts.account.resetDone(result.userName, result.sessionsRevoked);
      if (result.enrollmentCode && result.enrollmentCodeExpiresAt) {
        message += ` ${texts.account.enrollmentCode(result.enrollmentCode, formatTime(result.enrollmentCodeExpiresAt))}`;
      }
      setNotice(message);
      setReload(reload + 1);
    } catch (error) {
      if (!(error instanceof StepUpCancelled)) {
        setConfirming(false);
        setProblem(error);
      }
    } finally {
      setBusy(false);
    }
  };

  const unlock = async () => {
    setProblem(undefined);
    setNotice(undefined);
    try {
      await withStepUp((headers) =>
        call<Account>('PATCH', path, { body: { lockedUntil: null }, headers }),
      );
      setNotice(texts.account.unlocked);
      setReload(reload + 1);
    } catch (error) {
      if (!(error instanceof StepUpCancelled)) setProblem(error);
    }
  };

  return (
    <section>
      <p>
        <Link to="/accounts">{texts.account.back}</Link>
      </p>
      <Heading>
        {account?.userName ??
          (problem instanceof ApiProblem && (problem.status === 404 || problem.status === 400)
            ? texts.account.notFound
            : texts.common.loading)}
      </Heading>
      {notice && <Notice>{notice}</Notice>}
      <ProblemMessage problem={problem} />
      {account && (
        <>
          <h2>{texts.account.details}</h2>
          <dl class="facts">
            <dt>{texts.account.id}</dt>
            <dd>
              <code>{account.id}</code>
            </dd>
            <dt>{texts.accounts.displayName}</dt>
            <dd>{shown(account.displayName)}</dd>
            <dt>{texts.account.email}</dt>
            <dd>{shown(account.email)}</dd>
            <dt>{texts.accounts.roles}</dt>
            <dd>{account.roles.join(', ') || texts.common.none}</dd>
            <dt>{texts.accounts.active}</dt>
            <dd>{account.isActive ? texts.common.yes : texts.common.no}</dd>
            <dt>{texts.account.mfaStatus}</dt>
            <dd>{account.mfaEnabled ? texts.myMfa.on : texts.myMfa.off}</dd>
            <dt>{texts.account.enrolledAt}</dt>
            <dd>{formatTime(account.mfaEnrolledAt)}</dd>
            <dt>{texts.account.lockedUntil}</dt>
            <dd>
              {account.lockedUntil ? formatTime(account.lockedUntil) : texts.account.notLocked}
            </dd>
            <dt>{texts.account.createdAt}</dt>
            <dd>{formatTime(account.createdAt)}</dd>
          </dl>
          <div class="actions">
            {can(props.caller, 'edit-other-user-totp') && (
              <button type="button" class="danger" onClick={() => setConfirming(true)}>
                {texts.account.reset}
              </button>
            )}
            {account.lockedUntil && can(props.caller, 'manage-accounts') && (
              <button type="button" onClick={() => void unlock()}>
                {texts.account.unlock}
              </button>
            )}
          </div>
          <h2>{texts.account.history}</h2>
          {history.length === 0 ? (
            <p>{texts.account.historyEmpty}</p>
          ) : (
            <div class="table-wrap" tabIndex={0} role="region" aria-label={texts.account.history}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{texts.account.when}</th>
                    <th scope="col">{texts.account.event}</th>
                    <th scope="col">{texts.account.by}</th>
                    <th scope="col">{texts.account.reason}</th>
                    <th scope="col">{texts.account.ticket}</th>
                  </tr>
                </thead>
                <tbody>
                  {history.map((item) => (
                    <tr key={item.auditEventId}>
                      <td>{formatTime(item.at)}</td>
                      <td>
                        {item.event}
                        {item.lockedUntil ? ` (${formatTime(item.lockedUntil)})` : ''}
                      </td>
                      <td>{shown(item.byName)}</td>
                      <td>{shown(item.reason)}</td>
                      <td>{shown(item.ticket)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {next !== null && (
            <div class="actions">
              <button type="button" onClick={() => void more()}>
                {texts.account.more}
              </button>
            </div>
          )}
        </>
      )}
      {confirming && account && (
        <ResetDialog
          title={texts.account.resetTitle(account.userName)}
          names={[account.userName]}
          busy={busy}
          onReset={(why) => void reset(why)}
          onClose={() => setConfirming(false)}
        />
      )}
      {stepUpDialog}
    </section>
  );
}
