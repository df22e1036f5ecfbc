export const HTTP_METRICS = Symbol('HTTP_METRICS');
