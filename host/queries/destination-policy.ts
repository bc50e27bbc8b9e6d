// Where webhook deliveries may go. A subscription's dest is chosen by an API client while the service
// POSTs from inside the site's network, so without a policy dest=http://169.254.169.254/ or
// http://10.0.0.1:8080/ turns deliveries into requests to internal hosts (SSRF). Only plain public
// unicast addresses are delivered to, plus what WEBHOOK_ALLOWED_DESTINATIONS lists (host names,
// addresses or CIDRs of the partners a site really calls). Names are judged by the addresses they
// resolve to, when the subscription is created and again at every connect: the request's lookup
// hands the socket only addresses it checked, so a DNS answer that changes later (rebinding) cannot
// slip past the first check.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to every address it has (dns.lookup with all: true); injectable for tests. */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

/** The lookup refused a name for one of its addresses; webhook-delivery reports "refused by policy". */
export class DestinationRefusedError extends Error {
  readonly code = 'EDESTINATIONREFUSED';
  constructor(hostname: string) {
    super(`${hostname} resolves to an address outside the webhook destination policy`);
    this.name = 'DestinationRefusedError';
  }
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

const resolveWithDns: ResolveHost = (hostname) =>
  new Promise((settle, fail) =>
    dnsLookup(hostname, { all: true }, (error, addresses) => (error ? fail(error) : settle(addresses))),
  );

/** The host of a WHATWG-normalised URL as a name or an address: lowercase, no brackets, no final dot. */
export function destinationHost(url: URL): string {
  return url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

export class DestinationPolicy {
  private readonly names = new Set<string>();
  private readonly ranges: Range[] = [];
  private readonly resolve: ResolveHost;
  private readonly checkWaitMs: number;

  /**
   * `allowList`: host names, IP addresses and CIDRs, as checked by the WEBHOOK_ALLOWED_DESTINATIONS
   * parser. `checkWaitMs` bounds the wait for DNS when a subscription is created.
   */
  constructor(allowList: readonly string[], options: { resolve?: ResolveHost; checkWaitMs?: number } = {}) {
    this.resolve = options.resolve ?? resolveWithDns;
    this.checkWaitMs = options.checkWaitMs ?? 10_000;
    for (const entry of allowList) {
      if (entry.includes('/')) this.ranges.push(ipaddr.parseCIDR(entry));
      else if (isIP(entry) !== 0) {
        const address = ipaddr.parse(entry);
        this.ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      } else this.names.add(entry.replace(/\.$/, '').toLowerCase());
    }
  }

  /**
   * Whether a connection to this address may be made. IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged
   * as the IPv4 address it is. Everything ipaddr.js does not class as plain unicast is refused:
   * loopback, private, link-local, unique-local, unspecified, carrier-grade NAT, multicast, reserved,
   * and the IPv6 ranges that embed an IPv4 address (NAT64, 6to4, Teredo) a gateway may forward inward.
   */
  allowsAddress(address: string): boolean {
    if (!ipaddr.isValid(address)) return false;
    const forms = [ipaddr.parse(address), ipaddr.process(address)];
    const listed = this.ranges.some(([range, bits]) =>
      forms.some((form) => form.kind() === range.kind() && form.match(range, bits)),
    );
    return listed || forms[1]!.range() === 'unicast';
  }

  /** A literal address must be allowed; a name is left to the lookup at connect time. */
  allowsLiteral(url: URL): boolean {
    const host = destinationHost(url);
    return isIP(host) === 0 || this.allowsAddress(host);
  }

  /**
   * The check when a subscription is created: the literal address, or every address the name
   * resolves to now. A name that does not resolve yet, or not within checkWaitMs, is accepted (an
   * edge site may be offline); every connect checks it again.
   */
  async allows(dest: string): Promise<boolean> {
    const url = new URL(dest);
    const host = destinationHost(url);
    if (this.names.has(host)) return true;
    if (isIP(host) !== 0) return this.allowsAddress(host);
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<null>((settle) => (timer = setTimeout(() => settle(null), this.checkWaitMs)));
    try {
      const addresses = await Promise.race([this.resolve(host), gaveUp]);
      return addresses === null || addresses.every((a) => this.allowsAddress(a.address));
    } catch {
      return true;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * net/http `lookup`: resolves like dns.lookup and hands over only checked addresses. A name with
   * any refused address is refused whole, as at creation, rather than connecting to the rest.
   */
  readonly lookup: LookupFunction = (hostname, options: LookupOptions, callback) => {
    const listedName = this.names.has(hostname.replace(/\.$/, '').toLowerCase());
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    this.resolve(hostname).then(
      (resolved) => {
        const addresses = resolved.filter((a) => family === 0 || a.family === family);
        const first = addresses[0];
        if (first === undefined) {
          callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 0);
        } else if (!listedName && !addresses.every((a) => this.allowsAddress(a.address))) {
          callback(new DestinationRefusedError(hostname), '', 0);
        } else if (options.all === true) callback(null, addresses);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
