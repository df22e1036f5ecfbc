/**
 * Lower-cases A-Z only. User names and codes are ASCII: a non-ASCII character never folds into
 * one (`toLowerCase()` turns the Kelvin sign U+212A into `k`, and so a look-up of `Kate` spelt
 * with it into `kate`).
 */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (run) => run.toLowerCase());
}

/**
 * The member of a JSON object whose name matches `name` (lower-case) as ASCII, ignoring case, as
 * request property names are read; undefined when there is none or the value is no object.
 */
export function memberOf(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  return Object.entries(value).find(([key]) => asciiLower(key) === name)?.[1];
}

/**
 * Control characters (a line break forges lines in a message or a log) and invisible or
 * direction-changing format characters (zero-width spaces, bidirectional overrides: text shown
 * other than it reads). Built from a string: a literal would be a control character in a regex.
 */
export const UNSAFE_TEXT_CHARACTERS =
  '\\u0000-\\u001f\\u007f-\\u009f\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufeff\\ufff9-\\ufffb';

/** True when the text holds one of UNSAFE_TEXT_CHARACTERS. */
export function hasUnsafeCharacters(text: string): boolean {
  return new RegExp(`[${UNSAFE_TEXT_CHARACTERS}]`).test(text);
}

/** The text with each of UNSAFE_TEXT_CHARACTERS made a space: one line, shown as it reads. */
export function flatText(text: string): string {
  return text.replace(new RegExp(`[${UNSAFE_TEXT_CHARACTERS}]`, 'g'), ' ');
}
