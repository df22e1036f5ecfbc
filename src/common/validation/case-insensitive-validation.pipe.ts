import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { UnreadableBody } from '../http/body-reader';
import { DomainError, ValidationErrors } from '../problem/domain-error';
import { asciiLower } from '../ascii';

function flatten(
  errors: ValidationError[],
  prefix = '',
  into: ValidationErrors = {},
): ValidationErrors {
  for (const error of errors) {
    const field = prefix === '' ? error.property : `${prefix}.${error.property}`;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) (into[field] ??= []).push(...messages);
    if (error.children && error.children.length > 0) flatten(error.children, field, into);
  }
  return into;
}

function fieldWithNul(value: unknown, name: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? name : undefined;
  if (Array.isArray(value)) {
    for (const item of value) if (fieldWithNul(item, name) !== undefined) return name;
    return undefined;
  }
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const found = fieldWithNul(item, key);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const propertyNames = new WeakMap<Function, ReadonlyMap<string, string>>();

/**
 * A DTO's validated properties, by their ASCII-lower-cased name: read once per class (the
 * decorators are fixed once the app is built; every request with a body asks).
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
function propertyNamesOf(metatype: Function): ReadonlyMap<string, string> {
  let names = propertyNames.get(metatype);
  if (names === undefined) {
    const known = new Map<string, string>();
    for (const meta of getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false))
      known.set(asciiLower(meta.propertyName), meta.propertyName);
    names = known;
    propertyNames.set(metatype, names);
  }
  return names;
}

/**
 * class-validator DTOs, read the way ASP.NET Core reads JSON: property names are matched
 * case-insensitively (`Login` fills `login`); unknown properties are dropped; failures are a
 * ValidationProblemDetails `errors` dictionary keyed by the DTO's property names.
 */
@Injectable()
export class CaseInsensitiveValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidUnknownValues: true,
      // One message a field, the first rule it breaks ("must be an integer", not also "must not
      // be less than 0" for ?skip=abc), as ASP.NET Core reports a value it cannot bind.
      stopAtFirstError: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => DomainError.validation(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value instanceof UnreadableBody) throw value.error;
    // A NUL in a path or query value (`%00`) is refused before any database sees it.
    if (metadata.type === 'query' || metadata.type === 'param') {
      const field = fieldWithNul(value, metadata.data ?? '$');
      if (field !== undefined) {
        throw DomainError.validation({ [field]: ['The value must not contain NUL characters.'] });
      }
    }
    const metatype = metadata.metatype;
    if (metatype && metadata.type !== 'custom' && this.isDto(metatype)) {
      if (metadata.type === 'body' && !isPlainObject(value)) {
        throw DomainError.validation({ $: ['A JSON object is required.'] });
      }
      value = this.matchPropertyNames(value, metatype);
      // A repeated query parameter binds its first value, as ASP.NET Core binds a scalar.
      if (metadata.type === 'query' && isPlainObject(value)) {
        value = Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? (v[0] as unknown) : v]),
        );
      }
    }
    return super.transform(value, metadata);
  }

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  private isDto(metatype: Function): boolean {
    return propertyNamesOf(metatype).size > 0;
  }

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  private matchPropertyNames(value: unknown, metatype: Function): unknown {
    if (!isPlainObject(value)) return value;
    const known = propertyNamesOf(metatype);
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      result[known.get(asciiLower(key)) ?? key] = item;
    }
    return result;
  }
}
