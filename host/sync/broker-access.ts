// How to reach the broker: the URL (from AMQP_URL or re-read from the AMQP_URL_FILE secret at every
// connect, so a rotated secret is picked up on the next reconnect) and the TLS material for
// amqps://. Files are checked once at start so a wrong path stops the service with a clear message.
import { readFileSync } from 'node:fs';
import type { AmqpTlsFiles } from '../config/config.js';
import { ConfigError } from '../config/load-config.js';
import { redactUrl, secretsOf } from './redact.js';

/** Seconds between AMQP heartbeats unless the URL says otherwise: a silently dropped link is noticed within two. */
const DEFAULT_HEARTBEAT_S = 5;

export interface BrokerAccess {
  /** The URL to connect with now (never log it: see redactUrl). */
  url(): string;
  /** Socket options for amqplib: TLS CA, client certificate and key for amqps://. */
  socketOptions(): { ca?: Buffer; cert?: Buffer; key?: Buffer };
  /** The URL with its password hidden, for logs and /health/sync. */
  describe(): string;
  /** Every string that must be hidden from logs and reports. */
  secrets(): string[];
}

function readSecretFile(path: string, key: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`${key} names ${path}, which cannot be read (${code})`);
  }
}

function checkedUrl(text: string, source: string): string {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new ConfigError(`${source} does not hold a URL (expected amqp:// or amqps://)`);
  }
  if (parsed.protocol !== 'amqp:' && parsed.protocol !== 'amqps:') {
    throw new ConfigError(`${source} holds a ${parsed.protocol}// URL; expected amqp:// or amqps://`);
  }
  if (!parsed.searchParams.has('heartbeat'))
    parsed.searchParams.set('heartbeat', String(DEFAULT_HEARTBEAT_S));
  return parsed.toString();
}

function readTlsFile(path: string | null, key: string): Buffer | undefined {
  if (path === null) return undefined;
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`${key} names ${path}, which cannot be read (${code})`);
  }
}

export function brokerAccess(settings: {
  amqpUrl: string | null;
  amqpUrlFile: string | null;
  amqpTls: AmqpTlsFiles;
}): BrokerAccess {
  const { amqpUrl, amqpUrlFile, amqpTls } = settings;
  if (amqpUrl === null && amqpUrlFile === null) {
    throw new ConfigError('sync is on but neither AMQP_URL nor AMQP_URL_FILE is set');
  }
  const readUrl = () =>
    amqpUrl !== null
      ? checkedUrl(amqpUrl, 'AMQP_URL')
      : checkedUrl(readSecretFile(amqpUrlFile!, 'AMQP_URL_FILE'), `the file named by AMQP_URL_FILE`);
  let current = readUrl();
  const tls = {
    ca: readTlsFile(amqpTls.caFile, 'AMQP_CA_FILE'),
    cert: readTlsFile(amqpTls.certFile, 'AMQP_CERT_FILE'),
    key: readTlsFile(amqpTls.keyFile, 'AMQP_KEY_FILE'),
  };
  return {
    url() {
      // A secret file may be rotated while the service runs; a broken rotation keeps the last good URL.
      if (amqpUrlFile !== null) {
        try {
          current = readUrl();
        } catch {
          // keep `current`
        }
      }
      return current;
    },
    socketOptions: () => Object.fromEntries(Object.entries(tls).filter(([, value]) => value !== undefined)),
    describe: () => redactUrl(current),
    secrets: () => secretsOf(current),
  };
}
