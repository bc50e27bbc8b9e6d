// Open mode answers only requests addressed to loopback, so that a web page using DNS rebinding
// (its own name resolving to 127.0.0.1) cannot read or write the service from a browser.
import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../../host/auth/loopback-host.js';

describe('isLoopbackHost', () => {
  it.each([
    'localhost',
    'localhost:8080',
    'LOCALHOST:8080',
    '127.0.0.1',
    '127.0.0.1:8080',
    '127.1.2.3:80',
    '[::1]',
    '[::1]:8080',
    '[0:0:0:0:0:0:0:1]:8080',
    '[::ffff:127.0.0.1]:8080',
  ])('accepts Host %s', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    undefined,
    '',
    'evil.example',
    'evil.example:8080',
    '127.0.0.1.evil.example',
    'localhost.evil.example',
    '192.168.1.20:8080',
    '0.0.0.0:8080',
    '::1',
    '[::2]:8080',
    'localhost:8080:80',
    '[::1]x',
  ])('refuses Host %s', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
