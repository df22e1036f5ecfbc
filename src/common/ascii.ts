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
 * Control characters (a line break forges lines in a message or a log), format characters
 * (zero-width spaces and joiners, bidirectional marks and overrides, soft hyphens, tag
 * characters: text shown other than it reads, or not at all), line and paragraph separators,
 * every other character Unicode says to draw as nothing (Default_Ignorable_Code_Point: variation
 * selectors, the combining grapheme joiner, the Hangul fillers...), code points with no character
 * yet (Cn: a font draws nothing, or a later Unicode gives them a meaning), lone surrogates (Cs),
 * private-use characters (Co), and the blanks that are no space: the Braille blank and the object
 * replacement character.
 */
export const UNSAFE_TEXT =
  '[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}\\p{Cn}\\p{Cs}\\p{Co}\\u115F\\u1160\\u3164\\uFFA0\\u2800\\uFFFC]';

const UNSAFE = new RegExp(UNSAFE_TEXT, 'u');
const UNSAFE_ALL = new RegExp(UNSAFE_TEXT, 'gu');

/** True when the text holds a character of UNSAFE_TEXT. */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE.test(text);
}

/** The text with each character of UNSAFE_TEXT made a space: one line, shown as it reads. */
export function flatText(text: string): string {
  return text.replace(UNSAFE_ALL, ' ');
}
