// Broker credentials must never reach a log line, a health report or a metric label. Everything the
// sync code says about the broker goes through these two functions.

/** The URL without its password: amqp://user:***@host:5672/vhost. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable broker URL)';
  }
}

/** The strings of a URL that must never be shown: its password (raw and decoded) and userinfo. */
export function secretsOf(url: string): string[] {
  try {
    const parsed = new URL(url);
    if (parsed.password === '') return [];
    const decoded = decodeURIComponent(parsed.password);
    return [...new Set([`${parsed.username}:${parsed.password}`, parsed.password, decoded])].filter(
      (secret) => secret.length > 0,
    );
  } catch {
    return [url];
  }
}

/** Replaces every occurrence of each secret (and any URL userinfo) in a message. */
export function redactText(text: string, secrets: readonly string[]): string {
  let result = text.replace(/(amqps?:\/\/[^:/@\s]*):[^@\s]*@/g, '$1:***@');
  for (const secret of secrets) result = result.split(secret).join('***');
  return result;
}
