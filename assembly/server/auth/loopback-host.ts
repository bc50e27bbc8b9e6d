// Which addresses and Host headers count as loopback, as host/auth/listen-address.ts
// (isLoopbackAddress, node's net.isIPv4) and host/auth/loopback-host.ts (isLoopbackHost) decide.
// In open mode (no key file) the server listens on loopback only and answers only requests whose
// Host names loopback: a web page reaching 127.0.0.1 through DNS rebinding sends its own name.

/** node's net.isIPv4: four decimal parts 0-255 without leading zeros; the address, or -1 as i64. */
export function parseIPv4(text: string): i64 {
  const parts = text.split('.');
  if (parts.length != 4) return -1;
  let address: i64 = 0;
  for (let i = 0; i < 4; i++) {
    const part = unchecked(parts[i]);
    if (part.length < 1 || part.length > 3 || (part.length > 1 && part.charCodeAt(0) == 0x30)) return -1;
    let value = 0;
    for (let j = 0; j < part.length; j++) {
      const c = part.charCodeAt(j);
      if (c < 0x30 || c > 0x39) return -1;
      value = value * 10 + (c - 0x30);
    }
    if (value > 255) return -1;
    address = (address << 8) | (<i64>value);
  }
  return address;
}

/** listen-address.ts isLoopbackAddress: ::1, or an IPv4 address (bare or ::ffff:-mapped) in 127/8. */
export function isLoopbackAddress(host: string): bool {
  if (host == '::1' || host == '0:0:0:0:0:0:0:1') return true;
  const v4 = host.startsWith('::ffff:') ? host.substring(7) : host;
  return parseIPv4(v4) >= 0 && v4.startsWith('127.');
}

/** loopback-host.ts HOST_WITH_PORT: /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/ → the name, or null. */
function hostName(host: string): string | null {
  let end = host.length;
  const colon = host.lastIndexOf(':');
  const bracketEnd = host.lastIndexOf(']');
  if (colon > bracketEnd) {
    const port = host.substring(colon + 1);
    if (port.length < 1 || port.length > 5) return null;
    for (let i = 0; i < port.length; i++)
      if (port.charCodeAt(i) < 0x30 || port.charCodeAt(i) > 0x39) return null;
    end = colon;
  }
  const name = host.substring(0, end);
  if (name.length == 0) return null;
  if (name.startsWith('[')) {
    if (name.length < 3 || !name.endsWith(']')) return null;
    for (let i = 1; i < name.length - 1; i++) {
      const c = name.charCodeAt(i);
      const ok = (c >= 0x30 && c <= 0x3a) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) || c == 0x2e;
      if (!ok) return null;
    }
    return name;
  }
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c == 0x3a || c == 0x5b || c == 0x5d) return null;
  }
  return name;
}

/** loopback-host.ts isLoopbackHost: localhost, 127.x.x.x or [::1], with or without a port. */
export function isLoopbackHost(host: string | null): bool {
  if (host === null) return false;
  const found = hostName(host.trim());
  if (found === null) return false;
  const name = found.toLowerCase();
  if (name == 'localhost') return true;
  return isLoopbackAddress(name.startsWith('[') ? name.substring(1, name.length - 1) : name);
}
