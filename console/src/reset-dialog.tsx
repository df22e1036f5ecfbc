// The confirmation of a reset of other accounts: whom, why (reason and ticket), then Reset.

import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { Dialog, Field } from './components';
import { texts } from './texts';

export interface ResetWhy {
  readonly reason: string;
  readonly ticket: string;
}

/** The body a reset sends: only the fields filled in. */
export function resetBody(why: ResetWhy): Record<string, string> {
  const body: Record<string, string> = {};
  if (why.reason.trim() !== '') body.reason = why.reason;
  if (why.ticket.trim() !== '') body.ticket = why.ticket;
  return body;
}

export function ResetDialog(props: {
  readonly title: string;
  readonly names: readonly string[];
  readonly busy: boolean;
  readonly onReset: (why: ResetWhy) => void;
  readonly onClose: () => void;
}): JSX.Element {
  const [reason, setReason] = useState('');
  const [ticket, setTicket] = useState('');
  return (
    <Dialog title={props.title} onClose={props.onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          // Not `disabled` while busy: the focus stays on the button, for step-up's dialog to
          // give it back to.
          if (!props.busy) props.onReset({ reason, ticket });
        }}
      >
        <p>{texts.account.resetIntro}</p>
        {props.names.length > 1 && (
          <ul class="names">
            {props.names.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
        )}
        <Field
          id="reset-reason"
          label={texts.account.reason}
          value={reason}
          onInput={setReason}
          maxLength={500}
        />
        <Field
          id="reset-ticket"
          label={texts.account.ticket}
          value={ticket}
          onInput={setTicket}
          maxLength={100}
        />
        <div class="actions">
          <button type="submit" class="danger" aria-disabled={props.busy}>
            {texts.account.resetButton}
          </button>
          <button type="button" onClick={props.onClose}>
            {texts.common.cancel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
