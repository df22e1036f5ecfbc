import { flatText } from '../common/ascii';
import type { ClaimedMessage } from '../outbox/outbox.repository';

/** A message ready to send: plain text, no markup. */
export interface ComposedMessage {
  readonly subject: string;
  readonly text: string;
}

const IF_NOT_YOU =
  'If you did not expect this, contact your help desk at once and quote the time above: someone may be using your account.';

/**
 * A value from the database as one line of text: line breaks and other control or format
 * characters become spaces, so no stored name can forge a line of the message.
 */
function flat(value: string | null | undefined): string {
  return flatText(value ?? '');
}

function line(label: string, value: string | null | undefined): string[] {
  return value === undefined || value === null || value === '' ? [] : [`${label}: ${flat(value)}`];
}

/** Times in UTC, as the audit log shows them. */
function utc(iso: string | undefined): string | undefined {
  return iso === undefined ? undefined : `${iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} UTC`;
}

/**
 * The text of each message: what happened, who did it, when and from which address, and what to
 * do if it was not expected. The enrolment code appears only when given (ENROLLMENT_CODE_IN_MESSAGE).
 */
export function compose(message: ClaimedMessage, enrollmentCode?: string): ComposedMessage {
  const who = flat(message.displayName ?? message.userName ?? 'there');
  const account = flat(message.userName);
  const f = message.facts;
  const greeting = [`Hello ${who},`, ''];
  switch (message.kind) {
    case 'mfa.reset': {
      const by = f.own ? 'you (from your own session)' : (f.actorName ?? 'an administrator');
      return {
        subject: 'Your multi-factor authentication was reset',
        text: [
          ...greeting,
          `The multi-factor authentication (MFA) of your account ${account} was reset. Your authenticator app no longer works for this account, your recovery codes are void, and every session was signed out.`,
          '',
          ...line('Reset by', by),
          ...line('When', utc(f.at)),
          ...line('From address', f.clientIp),
          ...line('Ticket', f.ticket),
          '',
          'At your next sign-in you will be asked to enrol an authenticator app again.',
          ...(enrollmentCode === undefined
            ? []
            : [
                `Enrolling needs this one-time code: ${enrollmentCode} (valid until ${utc(f.enrollmentCodeExpiresAt) ?? 'it expires'}).`,
              ]),
          '',
          IF_NOT_YOU,
        ].join('\n'),
      };
    }
    case 'account.locked':
      return {
        subject: 'Your account was locked after failed sign-in codes',
        text: [
          ...greeting,
          `Your account ${account} was locked after repeated wrong authentication codes.`,
          '',
          ...line('When', utc(f.at)),
          ...line('Locked until', utc(f.lockedUntil)),
          ...line('From address', f.clientIp),
          '',
          'The lock ends by itself; an administrator can also end it.',
          IF_NOT_YOU,
        ].join('\n'),
      };
    case 'account.email-changed':
      return {
        subject: 'The email address of your account was changed',
        text: [
          ...greeting,
          `The email address of your account ${account} was changed: messages about it now go to the new address, not to this one.`,
          '',
          ...line('Changed by', f.actorName ?? 'an administrator'),
          ...line('When', utc(f.at)),
          ...line('From address', f.clientIp),
          '',
          IF_NOT_YOU,
        ].join('\n'),
      };
    case 'mfa.enrolled':
      return {
        subject: 'A new authenticator app was enrolled',
        text: [
          ...greeting,
          `An authenticator app was enrolled for multi-factor authentication on your account ${account}, and new recovery codes were issued.`,
          '',
          ...line('When', utc(f.at)),
          ...line('From address', f.clientIp),
          '',
          IF_NOT_YOU,
        ].join('\n'),
      };
  }
}
