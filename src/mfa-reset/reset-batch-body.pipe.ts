import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError, ValidationErrors } from '../common/problem/domain-error';
import { isUuid } from '../common/validation/uuid-param.pipe';
import { MAX_BATCH_IDS } from './dto/mfa-reset.dto';
import { memberOf } from '../common/ascii';

const MAX_NAMED_ERRORS = 200;

/**
 * The batch body: `["id", ...]` (as Zabbix takes it) or `{"ids": [...]}` (name in any case).
 * Ids are uuids, at most 1000, duplicates folded; the answer keeps the first-seen order.
 */
@Injectable()
export class ResetBatchBodyPipe implements PipeTransform<unknown, string[]> {
  transform(body: unknown): string[] {
    const ids: unknown = Array.isArray(body) ? body : memberOf(body, 'ids');
    if (!Array.isArray(ids)) {
      throw DomainError.validation({
        ids: ['A JSON array of account ids, or {"ids": [...]}, is required.'],
      });
    }
    if (ids.length === 0) throw DomainError.validation({ ids: ['At least one id is required.'] });
    const errors: ValidationErrors = {};
    let count = 0;
    // At most 200 entries named, as ASP.NET Core caps its model errors: the answer stays small.
    for (const [index, id] of ids.entries()) {
      if (isUuid(id)) continue;
      errors[`ids[${index}]`] = [`The value '${String(id).slice(0, 64)}' is not valid.`];
      if (++count === MAX_NAMED_ERRORS) break;
    }
    if (Object.keys(errors).length > 0) throw DomainError.validation(errors);
    // The limit counts accounts, not entries: a repeated id is one account (the body limit bounds
    // how many entries there can be).
    const folded = [...new Set((ids as string[]).map((id) => id.toLowerCase()))];
    if (folded.length > MAX_BATCH_IDS) {
      throw DomainError.validation({
        ids: [`At most ${MAX_BATCH_IDS} ids can be reset in one call.`],
      });
    }
    return folded;
  }
}
