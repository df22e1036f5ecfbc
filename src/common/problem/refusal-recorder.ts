import type { RequestContext } from '../http/request-context';
import type { Party } from '../auth/principal';
import type { RefusalRecord } from './domain-error';

/**
 * Writes the audit record an error carries (`DomainError.audited`), in its own transaction, after
 * the refused work rolled back. Defined here, provided by the audit feature: the problem filter
 * calls it for every refusal, so no layer audits its refusals in a way of its own.
 */
export abstract class RefusalRecorder {
  abstract record(
    refusal: RefusalRecord,
    caller: Party | undefined,
    context: RequestContext,
  ): Promise<void>;
}
