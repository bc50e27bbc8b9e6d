/** A parsed JSON value that is an object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names of fields outside `allowed`, quoted for an error message, or null when there are none. */
export function unknownFields(object: Record<string, unknown>, allowed: ReadonlySet<string>): string | null {
  const extra = Object.keys(object).filter((name) => !allowed.has(name));
  return extra.length === 0 ? null : extra.map((name) => `"${name}"`).join(', ');
}
