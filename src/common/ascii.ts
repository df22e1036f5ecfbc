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
