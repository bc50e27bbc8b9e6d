// Where the server listens, as host/auth/listen-address.ts decides for the Node service: with an
// API key file, on HOST (default 0.0.0.0); without one, anyone who can reach the port could capture
// and read events, so on loopback only: a loopback HOST as configured, any other HOST ignored
// with a warning (the Node service starts there too rather than refusing). The server speaks IPv4
// only (WASI sockets here are opened AF_INET), so an IPv6 HOST stops the start.
import { openModeWarning } from './auth-texts';
import { parseIPv4, isLoopbackAddress } from './loopback-host';

const LOOPBACK = '127.0.0.1';

export class ListenAddress {
  host: string = LOOPBACK;
  /** a.b.c.d as a u32, for openListener. */
  address: u32 = 0x7f000001;
  /** The start-up log line of open mode; null with access control on. */
  warning: string | null = null;
  /** Why the configured HOST cannot be served; the start stops with it (exit 2). */
  problem: string | null = null;
}

export function listenAddressFor(configuredHost: string, keysConfigured: bool): ListenAddress {
  const result = new ListenAddress();
  let host = configuredHost;
  if (!keysConfigured) {
    host = isLoopbackAddress(configuredHost) ? configuredHost : LOOPBACK;
    result.warning = openModeWarning(host, configuredHost);
  }
  // A mapped form (::ffff:127.0.0.1) is the IPv4 address it maps.
  const v4 = host.startsWith('::ffff:') ? host.substring(7) : host;
  const address = parseIPv4(v4);
  if (address < 0) {
    result.problem =
      'HOST ' +
      configuredHost +
      ' is not an IPv4 address; tracker-server.wasm listens on IPv4 only (e.g. 0.0.0.0)';
    return result;
  }
  result.host = v4;
  result.address = <u32>address;
  return result;
}
