// Pieces every screen uses: problem messages, dialogs, dates, the page title.

import type { ComponentChildren, InputHTMLAttributes, JSX } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { ApiProblem } from './api';
import { texts } from './texts';

// What draws as nothing or turns text around, as the service refuses it in names and reasons
// (src/common/ascii.ts; a unit test there checks the two lists are the same):
// control, format (bidirectional overrides, zero-width), separator, default-ignorable (variation
// selectors, Hangul fillers), unassigned, surrogate and private-use characters, and two blanks.
const HIDDEN =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Cn}\p{Cs}\p{Co}\u115F\u1160\u3164\uFFA0\u2800\uFFFC]/gu;

/**
 * Stored free text as it is, not as it would render: a character that is invisible or turns the
 * text around is shown as its code point (U+202E), so that a name or an audit detail cannot read
 * as something else. The service refuses them in new names and reasons; older data may hold them.
 */
export function shown(text: string | null | undefined): string {
  if (text === null || text === undefined || text === '') return texts.common.none;
  return text.replace(
    HIDDEN,
    (c) => `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}

/**
 * A code as typed, as the API takes it: apps show "123 456" and people paste with spaces or a
 * line break, which the API (rightly) counts as a wrong code. Never used on a password.
 */
export function codeAsTyped(text: string): string {
  return text.replace(/\s+/g, '');
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return texts.common.none;
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC');
}

/** Sets the document title and moves focus to the screen's heading when a screen opens. */
export function Heading(props: {
  readonly children: string;
  /** Another value (a page of a list) moves the focus to the heading again. */
  readonly focusKey?: string;
}): JSX.Element {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${props.children} · ${texts.appName}`;
    ref.current?.focus();
  }, [props.children, props.focusKey]);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {props.children}
    </h1>
  );
}

/** An API problem as a person reads it: what went wrong, what to do, and the trace id to quote. */
export function ProblemMessage(props: { readonly problem: unknown }): JSX.Element | null {
  const { problem } = props;
  if (problem === undefined || problem === null) return null;
  if (!(problem instanceof ApiProblem)) {
    return (
      <div class="problem" role="alert">
        <p>{texts.problem.unexpected}</p>
      </div>
    );
  }
  if (problem.status === 0) {
    return (
      <div class="problem" role="alert">
        <p>{texts.problem.network}</p>
      </div>
    );
  }
  const fieldErrors = Object.entries(problem.errors ?? {});
  const retry =
    problem.retryAfter !== undefined
      ? texts.problem.retryAt(
          problem.retryAfter,
          new Date(Date.now() + problem.retryAfter * 1000).toISOString().slice(11, 19) + ' UTC',
        )
      : undefined;
  const help =
    texts.problem.help[problem.errorType ?? ''] ?? texts.problem.help[String(problem.status)];
  // The API's details meant for programs ("TOTP Invalid [totp-invalid]", "See the errors
  // property") give way to the help above; a detail written for people is shown.
  const detail =
    problem.detail === undefined ||
    problem.detail === problem.title ||
    /\[[a-z-]+\]$/.test(problem.detail) ||
    problem.errors !== undefined
      ? undefined
      : problem.detail;
  return (
    <div class="problem" role="alert">
      <p>
        <strong>{problem.title}</strong>
        {detail ? ` ${shown(detail)}` : ''}
      </p>
      {help && <p>{help}</p>}
      {fieldErrors.length > 0 && (
        <>
          <p>{texts.problem.fields}</p>
          <ul>
            {fieldErrors.map(([field, messages]) => (
              <li key={field}>
                {field === '$' ? '' : `${shown(field)}: `}
                {shown(messages.join(' '))}
              </li>
            ))}
          </ul>
        </>
      )}
      {retry && <p>{retry}</p>}
      {problem.traceId && <p class="trace">{texts.problem.trace(problem.traceId)}</p>}
    </div>
  );
}

/** A message that something was done; it takes the focus, so that the keyboard carries on from it. */
export function Notice(props: { readonly children: string }): JSX.Element {
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), [props.children]);
  return (
    <p ref={ref} class="notice" role="status" tabIndex={-1}>
      {props.children}
    </p>
  );
}

/** A modal dialog (the browser's own: focus stays inside, Escape closes it). */
export function Dialog(props: {
  readonly title: string;
  readonly onClose: () => void;
  readonly children: ComponentChildren;
}): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  // Dialogs can stack (a confirmation, then step-up above it): each names itself by its own id.
  const titleId = useId();
  // Focus goes back where it was (the button that opened the dialog) when it closes: read while
  // rendering, before any effect (a field's autofocus runs first) moves it.
  const [opener] = useState(() => document.activeElement);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onClose();
      }}
    >
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

/** A labelled text field. */
export function Field(props: {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly type?: 'text' | 'password' | 'datetime-local';
  readonly autoComplete?: string;
  readonly inputMode?: 'numeric' | 'text';
  readonly required?: boolean;
  readonly hint?: string;
  readonly maxLength?: number;
  readonly autoFocus?: boolean;
}): JSX.Element {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (props.autoFocus) ref.current?.focus();
  }, [props.autoFocus]);
  // One object, since Preact's input types tie each attribute to one `type`.
  const inputAttributes = {
    id: props.id,
    name: props.id,
    type: props.type ?? 'text',
    value: props.value,
    autoComplete: props.autoComplete ?? 'off',
    inputMode: props.inputMode,
    required: props.required,
    // As an attribute: Preact would set the property to 0 when a reused input loses it.
    maxlength: props.maxLength,
    'aria-describedby': props.hint ? `${props.id}-hint` : undefined,
  } as InputHTMLAttributes<HTMLInputElement>;
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      <input
        ref={ref}
        {...inputAttributes}
        onInput={(event) => props.onInput((event.target as HTMLInputElement).value)}
      />
    </div>
  );
}
