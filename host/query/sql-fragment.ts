// The pieces compile-* modules assemble SQL from: a text with `?` placeholders and the values bound
// to them, in order.

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

export const OPERATOR = { GT: '>', GE: '>=', LT: '<', LE: '<=' } as const;

export const placeholders = (values: readonly unknown[]): string => values.map(() => '?').join(', ');

/** The exclusive upper end of the strings starting with `prefix` (its last character plus one). */
export function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}
