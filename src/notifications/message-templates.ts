import type { ClaimedMessage } from '../outbox/outbox.repository';

/** A message ready to send: plain text, no markup. */
export interface ComposedMessage {
  readonly subject: string;
  readonly text: string;
}

const IF_NOT_YOU =
  'If you did not expect this, contact your help desk at once and quote the time above: someone may be using your account.';

function line(label: string, value: string | null | undefined): string[] {
  return value === undefined || value === null || value === '' ? [] : [`${label}: ${value}`];
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
  const who = message.displayName ?? message.userName ?? 'there';
  const f = message.facts;
  const greeting = [`Hello ${who},`, ''];
  switch (message.kind) {
    case 'mfa.reset': {
      const by = f.own ? 'you (from your own session)' : (f.actorName ?? 'an administrator');
      return {
        subject: 'Your multi-factor authentication was reset',
        text: [
          ...greeting,
          `The multi-factor authentication (MFA) of your account ${message.userName ?? ''} was reset. Your authenticator app no longer works for this account, your recovery codes are void, and every session was signed out.`,
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
          `Your account ${message.userName ?? ''} was locked after repeated wrong authentication codes.`,
          '',
          ...line('When', utc(f.at)),
          ...line('Locked until', utc(f.lockedUntil)),
          ...line('From address', f.clientIp),
          '',
          'The lock ends by itself; an administrator can also end it.',
          IF_NOT_YOU,
        ].join('\n'),
      };
    case 'mfa.enrolled':
      return {
        subject: 'A new authenticator app was enrolled',
        text: [
          ...greeting,
          `An authenticator app was enrolled for multi-factor authentication on your account ${message.userName ?? ''}, and new recovery codes were issued.`,
          '',
          ...line('When', utc(f.at)),
          ...line('From address', f.clientIp),
          '',
          IF_NOT_YOU,
        ].join('\n'),
      };
  }
}
