import { ValidateBy, type ValidationOptions } from 'class-validator';
import { hasUnsafeCharacters } from '../ascii';

/**
 * Free text that is shown to people (a display name, a key's name): no control character, no
 * invisible or bidirectional formatting character (see ascii.ts), so that it reads as it is
 * stored in a list, a log line, a message or the audit log. Put above the type check, which runs
 * first.
 */
export function SafeText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'safeText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !hasUnsafeCharacters(value),
        defaultMessage: (args) =>
          `${args?.property ?? 'the text'} must not hold control, invisible or text-direction characters`,
      },
    },
    options,
  );
}
