import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '../problem/domain-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A path id that is not a uuid is a 400 naming the parameter, as ASP.NET's model binding does. */
@Injectable()
export class UuidParamPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!UUID.test(value)) {
      const name = metadata.data ?? 'id';
      throw DomainError.validation({
        [name]: [`The value '${String(value).slice(0, 64)}' is not valid.`],
      });
    }
    return value.toLowerCase();
  }
}
