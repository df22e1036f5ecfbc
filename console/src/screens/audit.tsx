// The audit log: filters, keyset paging (newest first) and a check of the whole chain.

import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { call, type AuditEvent, type Page } from '../api';
import { can, type ScreenProps } from '../caller';
import { Field, formatTime, Heading, ProblemMessage, shown } from '../components';
import { Link, navigate, useLocation } from '../router';
import { texts } from '../texts';

const FILTERS = ['action', 'actorId', 'targetId', 'since', 'until'] as const;
type Filter = (typeof FILTERS)[number];
type Filters = Record<Filter, string>;

interface Verification {
  readonly valid: boolean;
  readonly count: number;
  readonly brokenAt?: number;
}

function auditUrl(filters: Filters, cursor?: string): string {
  const query = new URLSearchParams();
  for (const name of FILTERS) if (filters[name] !== '') query.set(name, filters[name]);
  if (cursor) query.set('cursor', cursor);
  const text = query.toString();
  return text === '' ? '/audit' : `/audit?${text}`;
}

/** A datetime-local value (read as UTC) as the API takes it. */
function asUtc(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00Z` : value;
}

/** A party of an event: a link to its account's page for those who may see accounts. */
function Party(props: {
  readonly id: string | null;
  readonly name: string | null;
  readonly linked: boolean;
}): JSX.Element {
  return props.id !== null && props.linked ? (
    <Link to={`/accounts/${props.id}`}>{shown(props.name ?? props.id)}</Link>
  ) : (
    <>{shown(props.name)}</>
  );
}

export function AuditLog(props: ScreenProps): JSX.Element {
  const linked = can(props.caller, 'view-accounts');
  const { query } = useLocation();
  const applied: Filters = {
    action: query.get('action') ?? '',
    actorId: query.get('actorId') ?? '',
    targetId: query.get('targetId') ?? '',
    since: query.get('since') ?? '',
    until: query.get('until') ?? '',
  };
  const cursor = query.get('cursor') ?? undefined;
  const key = auditUrl(applied, cursor);
  const [draft, setDraft] = useState<Filters>(applied);
  const [page, setPage] = useState<Page<AuditEvent> | undefined>(undefined);
  const [problem, setProblem] = useState<unknown>(undefined);
  const [verification, setVerification] = useState<Verification | 'running' | undefined>(undefined);

  useEffect(() => {
    setDraft(applied);
    // No rows or error of the previous query are shown as if they answered this one.
    setPage(undefined);
    setProblem(undefined);
    const params = new URLSearchParams({ take: '50' });
    for (const name of FILTERS) {
      const value = applied[name];
      if (value !== '')
        params.set(name, name === 'since' || name === 'until' ? asUtc(value) : value);
    }
    if (cursor) params.set('cursor', cursor);
    // An answer to an earlier query that arrives late is dropped, not shown for this one.
    let current = true;
    call<Page<AuditEvent>>('GET', `/api/v1/AuditEvent?${params.toString()}`)
      .then((answer) => {
        if (!current) return;
        setPage(answer);
        setProblem(undefined);
      })
      .catch((error: unknown) => current && setProblem(error));
    return () => {
      current = false;
    };
    // The URL holds the whole state: reload when it changes.
  }, [key]);

  const verify = async () => {
    // Not disabled while it runs, so that the focus stays on the button: a second click waits.
    if (verification === 'running') return;
    setVerification('running');
    try {
      setVerification(await call<Verification>('GET', '/api/v1/AuditEvent/Verify'));
    } catch (error) {
      setVerification(undefined);
      setProblem(error);
    }
  };

  const set = (name: Filter) => (value: string) => setDraft({ ...draft, [name]: value });

  return (
    <section>
      <Heading focusKey={key}>{texts.audit.title}</Heading>
      <div class="actions">
        <button type="button" onClick={() => void verify()} aria-busy={verification === 'running'}>
          {texts.audit.verify}
        </button>
      </div>
      <div role="status" class="verification">
        {verification === 'running' && <p>{texts.audit.verifying}</p>}
        {verification !== undefined && verification !== 'running' && verification.valid && (
          <p class="ok">
            <strong>{texts.audit.valid}</strong> {texts.audit.validCount(verification.count)}
          </p>
        )}
        {verification !== undefined && verification !== 'running' && !verification.valid && (
          <p class="bad">
            {texts.audit.invalid(
              verification.brokenAt ?? verification.count + 1,
              verification.count,
            )}
          </p>
        )}
      </div>
      <form
        class="filters"
        aria-label={texts.audit.filters}
        onSubmit={(event) => {
          event.preventDefault();
          navigate(auditUrl({ ...draft }));
        }}
      >
        <Field
          id="filter-action"
          label={texts.audit.action}
          value={draft.action}
          onInput={set('action')}
        />
        <Field
          id="filter-actor"
          label={texts.audit.actorId}
          value={draft.actorId}
          onInput={set('actorId')}
        />
        <Field
          id="filter-target"
          label={texts.audit.targetId}
          value={draft.targetId}
          onInput={set('targetId')}
        />
        <Field
          id="filter-since"
          label={texts.audit.since}
          type="datetime-local"
          value={draft.since}
          onInput={set('since')}
        />
        <Field
          id="filter-until"
          label={texts.audit.until}
          type="datetime-local"
          value={draft.until}
          onInput={set('until')}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {texts.audit.apply}
          </button>
          <button type="button" onClick={() => navigate('/audit')}>
            {texts.audit.clear}
          </button>
        </div>
      </form>
      <ProblemMessage problem={problem} />
      {!page && !problem && <p class="loading">{texts.common.loading}</p>}
      {page && page.items.length === 0 && <p>{texts.audit.empty}</p>}
      {page && page.items.length > 0 && (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={texts.audit.title}>
          <table>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{texts.audit.time}</th>
                <th scope="col">{texts.audit.action}</th>
                <th scope="col">{texts.audit.outcome}</th>
                <th scope="col">{texts.audit.actor}</th>
                <th scope="col">{texts.audit.target}</th>
                <th scope="col">{texts.audit.client}</th>
                <th scope="col">{texts.audit.details}</th>
                <th scope="col">{texts.audit.traceId}</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((event) => (
                <tr key={event.id}>
                  <td>{event.seq}</td>
                  <td>{formatTime(event.occurredAt)}</td>
                  <td>{event.action}</td>
                  <td>{event.outcome}</td>
                  <td>
                    <Party id={event.actorId} name={event.actorName} linked={linked} />
                  </td>
                  <td>
                    <Party id={event.targetId} name={event.targetName} linked={linked} />
                  </td>
                  <td>{event.clientIp ?? texts.common.none}</td>
                  <td>
                    <code class="details">
                      {event.details ? shown(JSON.stringify(event.details)) : texts.common.none}
                    </code>
                  </td>
                  <td>
                    <code class="trace">{event.traceId ?? texts.common.none}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {page && (
        <nav class="pager" aria-label={texts.audit.pages}>
          <button type="button" disabled={!cursor} onClick={() => navigate(auditUrl(applied))}>
            {texts.audit.newest}
          </button>
          <button
            type="button"
            disabled={page.next === null}
            onClick={() => navigate(auditUrl(applied, page.next ?? undefined))}
          >
            {texts.audit.older}
          </button>
        </nav>
      )}
    </section>
  );
}
