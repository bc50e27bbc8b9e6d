import { describe, expect, it } from 'vitest';
import type { Authenticator } from '../../../host/auth/authenticate.js';
import { listenAddressFor } from '../../../host/auth/listen-address.js';

const authenticator: Authenticator = {
  description: 'access control on: 1 API key(s)',
  authenticate: async () => ({
    ok: false,
    status: 401,
    detail: 'x',
    wwwAuthenticate: 'Bearer realm="edgetrace"',
  }),
};

describe('listenAddressFor', () => {
  it.each(['0.0.0.0', '::', '192.168.1.20', 'edge-7.local', 'localhost', ''])(
    'refuses to listen on %j without access control and listens on 127.0.0.1 instead',
    (configured) => {
      const { host, warning } = listenAddressFor(configured, null);
      expect(host).toBe('127.0.0.1');
      expect(warning).toMatch(
        /^access control is off: .* listens on 127\.0\.0\.1 only \(the configured host .* is ignored\)/,
      );
    },
  );

  it.each(['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1'])(
    'keeps the loopback address %s in open mode, and says so',
    (configured) => {
      const { host, warning } = listenAddressFor(configured, null);
      expect(host).toBe(configured);
      expect(warning).toContain(`listens on ${configured} only`);
      expect(warning).not.toContain('ignored');
    },
  );

  it('listens where configured when access control is on', () => {
    expect(listenAddressFor('0.0.0.0', authenticator)).toEqual({ host: '0.0.0.0', warning: null });
  });
});
