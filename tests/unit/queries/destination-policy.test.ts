// Where webhook deliveries may go: every spelling of an internal address is refused, names are judged
// by what they resolve to (at creation and again at every connect), and the allow-list opens exactly
// what it lists.
import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../host/config/load-config.js';
import {
  DestinationPolicy,
  DestinationRefusedError,
  type ResolveHost,
} from '../../../host/queries/destination-policy.js';

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

/** A resolver for made-up names; a literal address must never reach it. */
function resolver(names: Record<string, LookupAddress[]>): ResolveHost {
  return (hostname) => {
    const found = names[hostname];
    if (found === undefined) {
      return Promise.reject(Object.assign(new Error(`no such name ${hostname}`), { code: 'ENOTFOUND' }));
    }
    return Promise.resolve(found);
  };
}

/** Runs the policy's connect-time lookup the way net.connect calls it. */
function connectLookup(
  policy: DestinationPolicy,
  hostname: string,
  all: boolean,
): Promise<{ error: Error | null; address: string | LookupAddress[] }> {
  return new Promise((settle) =>
    policy.lookup(hostname, { all }, (error, address) => settle({ error, address })),
  );
}

describe('webhook destination policy', () => {
  const strict = new DestinationPolicy([], { resolve: resolver({}) });

  it.each([
    ['cloud metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['a private 10/8 address', 'http://10.0.0.1/hook'],
    ['a private 192.168/16 address', 'http://192.168.1.1/hook'],
    ['a unique-local IPv6 address', 'http://[fd00::1]/hook'],
    ['the unspecified address', 'http://0.0.0.0:8080/hook'],
    ['loopback as a decimal number', 'http://2130706433/hook'],
    ['loopback in hex short form', 'http://0x7f.1/hook'],
    ['loopback in short form', 'http://127.1/hook'],
    ['loopback in octal', 'http://0177.0.0.1/hook'],
    ['IPv6 loopback', 'http://[::1]:8080/hook'],
    ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hook'],
    ['IPv4-mapped IPv6 metadata, in hex', 'http://[::ffff:a9fe:a9fe]/hook'],
    ['IPv6 link-local', 'http://[fe80::1]/hook'],
    ['carrier-grade NAT', 'http://100.64.0.1/hook'],
    ['NAT64 of a private address', 'http://[64:ff9b::a00:1]/hook'],
  ])('refuses %s (%s) without looking anything up', async (_, dest) => {
    expect(await strict.allows(dest)).toBe(false);
    expect(strict.allowsLiteral(new URL(dest))).toBe(false);
  });

  it.each(['https://93.184.215.14/hook', 'https://[2606:4700:4700::1111]/hook'])(
    'accepts the public address %s',
    async (dest) => {
      expect(await strict.allows(dest)).toBe(true);
    },
  );

  it('refuses localhost, which resolves to loopback', async () => {
    expect(await new DestinationPolicy([]).allows('http://localhost:8080/hook')).toBe(false);
    expect(await new DestinationPolicy([]).allows('http://LOCALHOST./hook')).toBe(false);
  });

  it('judges a name by every address it resolves to', async () => {
    const policy = new DestinationPolicy([], {
      resolve: resolver({
        'partner.example': [v4('93.184.215.14')],
        'internal.example': [v4('10.1.2.3')],
        'mixed.example': [v4('93.184.215.14'), v6('fd12::7')],
      }),
    });

    expect(await policy.allows('https://partner.example/hook')).toBe(true);
    expect(await policy.allows('https://internal.example/hook')).toBe(false);
    expect(await policy.allows('https://mixed.example/hook')).toBe(false);
    // Not resolvable now (an offline edge site): accepted, and checked again at every connect.
    expect(await policy.allows('https://unknown.example/hook')).toBe(true);
  });

  it('accepts a name whose DNS does not answer within the wait, leaving it to the connect-time check', async () => {
    const silent = new DestinationPolicy([], {
      resolve: () => new Promise(() => undefined),
      checkWaitMs: 50,
    });

    expect(await silent.allows('https://slow.example/hook')).toBe(true);
  });

  it('opens exactly the hosts, addresses and ranges on the allow-list', async () => {
    const policy = new DestinationPolicy(['127.0.0.1', '10.20.0.0/16', 'fd12::/16', 'partner.internal'], {
      resolve: resolver({ 'partner.internal': [v4('10.9.9.9')], 'other.internal': [v4('10.9.9.9')] }),
    });

    expect(await policy.allows('http://127.0.0.1:9000/hook')).toBe(true);
    expect(await policy.allows('http://[::ffff:127.0.0.1]:9000/hook')).toBe(true);
    expect(await policy.allows('http://10.20.3.4/hook')).toBe(true);
    expect(await policy.allows('http://[fd12::7]/hook')).toBe(true);
    expect(await policy.allows('http://Partner.Internal./hook')).toBe(true);
    expect(await policy.allows('http://127.0.0.2/hook')).toBe(false);
    expect(await policy.allows('http://10.21.0.1/hook')).toBe(false);
    expect(await policy.allows('http://other.internal/hook')).toBe(false);
  });
});

describe('webhook destination policy at connect time', () => {
  it('refuses a name that has rebound to a loopback address since the subscription was created', async () => {
    let answer = [v4('93.184.215.14')];
    const policy = new DestinationPolicy([], {
      resolve: (hostname) =>
        hostname === 'rebind.example' ? Promise.resolve(answer) : Promise.reject(new Error('unknown')),
    });
    expect(await policy.allows('https://rebind.example/hook')).toBe(true);

    answer = [v4('127.0.0.1')];
    const single = await connectLookup(policy, 'rebind.example', false);
    const all = await connectLookup(policy, 'rebind.example', true);

    expect(single.error).toBeInstanceOf(DestinationRefusedError);
    expect(all.error).toBeInstanceOf(DestinationRefusedError);
  });

  it('hands the socket only the addresses it checked, in the form net.connect asked for', async () => {
    const addresses = [v4('93.184.215.14'), v6('2606:4700:4700::1111')];
    const policy = new DestinationPolicy([], { resolve: resolver({ 'partner.example': addresses }) });

    expect(await connectLookup(policy, 'partner.example', true)).toEqual({ error: null, address: addresses });
    expect(await connectLookup(policy, 'partner.example', false)).toEqual({
      error: null,
      address: '93.184.215.14',
    });
  });
});

describe('WEBHOOK_ALLOWED_DESTINATIONS', () => {
  it('reads host names, addresses and CIDRs, and stops the start on a malformed entry', () => {
    const config = loadConfig(
      { WEBHOOK_ALLOWED_DESTINATIONS: 'Partner.Internal., 10.20.0.0/16, fd12::7' },
      [],
    );

    expect(config.webhookAllowedDestinations).toEqual(['partner.internal', '10.20.0.0/16', 'fd12::7']);
    expect(loadConfig({}, []).webhookAllowedDestinations).toEqual([]);
    for (const bad of ['10.0.0.0/33', 'http://partner.example', 'under_score.example', ',']) {
      expect(() => loadConfig({ WEBHOOK_ALLOWED_DESTINATIONS: bad }, []), bad).toThrow(
        /WEBHOOK_ALLOWED_DESTINATIONS/,
      );
    }
  });
});
