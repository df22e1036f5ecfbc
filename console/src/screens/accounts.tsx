// Accounts: search, a paged table linking to each account, and a batch reset of the selected ones.

import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, type Account, type AccountPage } from '../api';
import { can, type ScreenProps } from '../caller';
import { formatTime, Heading, Notice, ProblemMessage, shown } from '../components';
import { ResetDialog, resetBody, type ResetWhy } from '../reset-dialog';
import { Link, navigate, useLocation } from '../router';
import { useResetKey } from '../reset-key';
import { StepUpCancelled, useStepUp } from '../step-up';
import { texts } from '../texts';

const PAGE = 25;

function accountsUrl(search: string, page: number): string {
  const query = new URLSearchParams();
  if (search !== '') query.set('search', search);
  if (page > 0) query.set('page', String(page + 1));
  const text = query.toString();
  return text === '' ? '/accounts' : `/accounts?${text}`;
}

export function Accounts(props: ScreenProps): JSX.Element {
  const { query } = useLocation();
  const search = query.get('search') ?? '';
  const page = Math.max(0, (Number.parseInt(query.get('page') ?? '1', 10) || 1) - 1);
  const [draft, setDraft] = useState(search);
  const [data, setData] = useState<AccountPage | undefined>(undefined);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [selected, setSelected] = useState<ReadonlyMap<string, string>>(new Map());
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [reload, setReload] = useState(0);
  const { withStepUp, stepUpDialog } = useStepUp();
  const resetKey = useResetKey();
  const mayReset = can(props.caller, 'edit-other-user-totp');

  // What was done on another search or page is not news on this one.
  useEffect(() => setNotice(undefined), [search, page]);

  useEffect(() => {
    setDraft(search);
    // No rows or error of the previous search are shown as if they answered this one.
    setData(undefined);
    setProblem(undefined);
    const params = new URLSearchParams({ skip: String(page * PAGE), take: String(PAGE) });
    if (search !== '') params.set('search', search);
    // An answer to an earlier search that arrives late is dropped, not shown for this one.
    let current = true;
    call<AccountPage>('GET', `/api/v1/ManagedAccount?${params.toString()}`)
      .then((answer) => {
        if (!current) return;
        setData(answer);
        setProblem(undefined);
      })
      .catch((error: unknown) => current && setProblem(error));
    return () => {
      current = false;
    };
  }, [search, page, reload]);

  const toggle = (account: Account) => {
    const next = new Map(selected);
    if (next.has(account.id)) next.delete(account.id);
    else next.set(account.id, account.userName);
    setSelected(next);
  };

  const items = data?.items ?? [];
  const allSelected = items.length > 0 && items.every((a) => selected.has(a.id));
  const toggleAll = () => {
    const next = new Map(selected);
    for (const a of items) {
      if (allSelected) next.delete(a.id);
      else next.set(a.id, a.userName);
    }
    setSelected(next);
  };

  const resetSelected = async (why: ResetWhy) => {
    setBusy(true);
    setProblem(undefined);
    const body = { ids: [...selected.keys()], ...resetBody(why) };
    const key = resetKey.keyFor(body);
    try {
      const answer = await withStepUp((headers) =>
        call<{ userids: string[] }>('PUT', '/api/v1/ManagedAccount/ResetMFA', {
          body,
          headers: { ...headers, 'Idempotency-Key': key },
        }),
      );
      resetKey.done();
      setConfirming(false);
      setSelected(new Map());
      setNotice(texts.accounts.batchDone(answer.userids.length));
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

  const total = data?.totalCount ?? 0;
  const from = total === 0 ? 0 : page * PAGE + 1;
  const to = Math.min(total, page * PAGE + items.length);

  return (
    <section>
      <Heading focusKey={`${search}|${page}`}>{texts.accounts.title}</Heading>
      <form
        role="search"
        class="inline"
        onSubmit={(event) => {
          event.preventDefault();
          navigate(accountsUrl(draft.trim(), 0));
        }}
      >
        <div class="field">
          <label for="account-search">{texts.accounts.search}</label>
          <input
            id="account-search"
            type="search"
            value={draft}
            maxLength={200}
            onInput={(event) => setDraft((event.target as HTMLInputElement).value)}
          />
        </div>
        <button type="submit">{texts.accounts.searchButton}</button>
      </form>
      {notice && <Notice>{notice}</Notice>}
      <ProblemMessage problem={problem} />
      {mayReset && (
        <div class="actions">
          <button
            type="button"
            class="danger"
            disabled={selected.size === 0}
            onClick={() => setConfirming(true)}
          >
            {texts.accounts.resetSelected(selected.size)}
          </button>
        </div>
      )}
      {data && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={texts.accounts.tableLabel}>
          <table>
            <caption>{texts.accounts.caption(from, to, total)}</caption>
            <thead>
              <tr>
                {mayReset && (
                  <th scope="col">
                    <input
                      type="checkbox"
                      aria-label={texts.accounts.selectAll}
                      checked={allSelected}
                      onChange={toggleAll}
                    />
                  </th>
                )}
                <th scope="col">{texts.accounts.userName}</th>
                <th scope="col">{texts.accounts.displayName}</th>
                <th scope="col">{texts.accounts.roles}</th>
                <th scope="col">{texts.accounts.mfa}</th>
                <th scope="col">{texts.accounts.lockedUntil}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((account) => (
                <tr key={account.id}>
                  {mayReset && (
                    <td>
                      <input
                        type="checkbox"
                        aria-label={texts.accounts.select(account.userName)}
                        checked={selected.has(account.id)}
                        onChange={() => toggle(account)}
                      />
                    </td>
                  )}
                  <td>
                    <Link to={`/accounts/${account.id}`}>{account.userName}</Link>
                  </td>
                  <td>{shown(account.displayName)}</td>
                  <td>{account.roles.join(', ') || texts.common.none}</td>
                  <td>{account.mfaEnabled ? texts.myMfa.on : texts.myMfa.off}</td>
                  <td>
                    {account.lockedUntil ? formatTime(account.lockedUntil) : texts.common.none}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && total > PAGE && (
        <nav class="pager" aria-label={texts.accounts.pages}>
          <button
            type="button"
            disabled={page === 0}
            onClick={() => navigate(accountsUrl(search, page - 1))}
          >
            {texts.common.previous}
          </button>
          <button
            type="button"
            disabled={to >= total}
            onClick={() => navigate(accountsUrl(search, page + 1))}
          >
            {texts.common.next}
          </button>
        </nav>
      )}
      {confirming && (
        <ResetDialog
          title={texts.accounts.batchTitle(selected.size)}
          names={[...selected.values()]}
          busy={busy}
          onReset={(why) => void resetSelected(why)}
          onClose={() => setConfirming(false)}
        />
      )}
      {stepUpDialog}
    </section>
  );
}
