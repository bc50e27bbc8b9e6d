import { isIPv4 } from 'node:net';
import type { Authenticator } from './authenticate.js';

const LOOPBACK = '127.0.0.1';

/**
 * Where the service may listen. With access control it listens where configured. Without it (no
 * key file, no JWKS) anyone who can reach the port could capture and read events, so it listens
 * on loopback only, whatever was configured, and returns the line to put in the start-up log.
 */
export function listenAddressFor(
  configuredHost: string,
  authenticator: Authenticator | null,
): { host: string; warning: string | null } {
  if (authenticator !== null) return { host: configuredHost, warning: null };
  const host = isLoopbackAddress(configuredHost) ? configuredHost : LOOPBACK;
  const ignored =
    host === configuredHost ? '' : ` (the configured host ${configuredHost || '(empty)'} is ignored)`;
  return {
    host,
    warning:
      `access control is off: no API key file or JWKS is configured, so the service listens on ${host} ` +
      `only${ignored}; configure API_KEYS_FILE or JWKS_FILE to serve other addresses`,
  };
}

// `localhost` is left out on purpose: it is a name, and /etc/hosts may point it anywhere.
export function isLoopbackAddress(host: string): boolean {
  if (host === '::1' || host === '0:0:0:0:0:0:0:1') return true;
  const v4 = host.startsWith('::ffff:') ? host.slice('::ffff:'.length) : host;
  return isIPv4(v4) && v4.startsWith('127.');
}
