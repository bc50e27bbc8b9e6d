import { isLoopbackAddress } from './listen-address.js';

// Host header values (RFC 9110 §7.2: uri-host [":" port]) a loopback-only service answers to.
const HOST_WITH_PORT = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/;

/**
 * Whether a Host header names this machine's loopback interface: `localhost`, a 127.x.x.x address
 * or [::1], with or without a port. In open mode (no credentials) the service listens on loopback
 * only, but a web page can still reach it through DNS rebinding: its own name is made to resolve
 * to 127.0.0.1, so the browser sends the page's name as Host. Refusing every other name closes that
 * door. `localhost` is safe here although listen-address.ts distrusts it: that check is about where
 * a name resolves, this one about the name a browser put in the request, and browsers resolve
 * `localhost` to loopback themselves.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = HOST_WITH_PORT.exec(host.trim())?.[1]?.toLowerCase();
  if (name === undefined) return false;
  if (name === 'localhost') return true;
  return isLoopbackAddress(name.startsWith('[') ? name.slice(1, -1) : name);
}
