// Parsers for configuration values. Each returns the value or an error sentence; the loader adds
// the key's name, so every message says which key is wrong and what it expects.
import { isIP } from 'node:net';

export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "10s", "500ms", "5m", "1h" → milliseconds. A bare number is rejected: the unit must be explicit. */
export function parseDuration(text: string): Parsed<number> {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (match === null) return { ok: false, expected: 'a duration with a unit, like 500ms, 10s, 5m or 1h' };
  return { ok: true, value: Math.round(Number(match[1]) * DURATION_UNITS_MS[match[2]!]!) };
}

export function parseBoolean(text: string): Parsed<boolean> {
  const normalised = text.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalised)) return { ok: true, value: true };
  if (['false', '0', 'no', 'off'].includes(normalised)) return { ok: true, value: false };
  return { ok: false, expected: 'true or false' };
}

export function parseInteger(min: number, max: number): (text: string) => Parsed<number> {
  return (text) => {
    const value = Number(text.trim());
    if (!/^-?\d+$/.test(text.trim()) || value < min || value > max) {
      return { ok: false, expected: `a whole number from ${min} to ${max}` };
    }
    return { ok: true, value };
  };
}

/** Sizes such as "16MiB", "512KiB" or a plain byte count. */
export function parseByteSize(text: string): Parsed<number> {
  const match = /^(\d+)\s*(B|KiB|MiB|GiB)?$/.exec(text.trim());
  if (match === null) return { ok: false, expected: 'a size like 16MiB, 512KiB or a byte count' };
  const factor = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[match[2] ?? 'B'] ?? 1;
  return { ok: true, value: Number(match[1]) * factor };
}

export function parseOneOf<T extends string>(choices: readonly T[]): (text: string) => Parsed<T> {
  return (text) => {
    const found = choices.find((choice) => choice === text.trim());
    return found === undefined
      ? { ok: false, expected: `one of ${choices.join(', ')}` }
      : { ok: true, value: found };
  };
}

export function parseText(text: string): Parsed<string> {
  return text.trim() === '' ? { ok: false, expected: 'a non-empty value' } : { ok: true, value: text.trim() };
}

export function parseUrl(protocols: readonly string[]): (text: string) => Parsed<string> {
  return (text) => {
    try {
      const url = new URL(text.trim());
      if (protocols.includes(url.protocol)) return { ok: true, value: text.trim() };
    } catch {
      // fall through to the message below
    }
    return { ok: false, expected: `a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` };
  };
}

/** A name that is safe inside AMQP routing keys and queue names: no dots, spaces or wildcards. */
export function parseSiteId(text: string): Parsed<string> {
  const value = text.trim();
  return /^[A-Za-z0-9_-]{1,64}$/.test(value)
    ? { ok: true, value }
    : { ok: false, expected: 'a name of 1 to 64 letters, digits, - or _' };
}

const HOST_NAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** "partner.example, 10.20.0.0/16, fd12::7": host names, IP addresses and CIDRs, lowercased. */
export function parseHostList(text: string): Parsed<string[]> {
  const entries = text
    .split(',')
    .map((entry) => entry.trim().toLowerCase().replace(/\.$/, ''))
    .filter((entry) => entry !== '');
  const valid = (entry: string): boolean => {
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    if (bits === undefined) return family !== 0 || HOST_NAME.test(entry);
    const width = family === 4 ? 32 : 128;
    return family !== 0 && rest.length === 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= width;
  };
  return entries.length > 0 && entries.every(valid)
    ? { ok: true, value: entries }
    : { ok: false, expected: 'a comma-separated list of host names, IP addresses and CIDRs (10.0.0.0/8)' };
}
