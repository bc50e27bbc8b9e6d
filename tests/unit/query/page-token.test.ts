import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EventQuery, PageKey } from '../../../host/query/event-query.js';
import { issuePageToken, openPageToken, pageTokenExpiresHeader } from '../../../host/query/page-token.js';
import { parseEventQuery } from '../../../host/query/parse-query.js';
import { fakeCanon } from './fake-canon.js';

const secret = randomBytes(32);
const NOW = Date.UTC(2026, 2, 1, 12);
const TTL = 5 * 60_000;
const key: PageKey = { sortValue: Date.UTC(2026, 2, 1, 8), seq: 4711, returned: 30 };

function query(search: string): EventQuery {
  const parsed = parseEventQuery(new URLSearchParams(search), fakeCanon);
  if (!parsed.ok) throw new Error(parsed.problem.detail);
  return parsed.query;
}

const shipping = query('EQ_bizStep=shipping&GE_eventTime=2026-01-01T00:00:00Z&orderBy=eventTime');
const issue = (k: PageKey = key, q: EventQuery = shipping) =>
  issuePageToken(k, q, { secret, nowMs: NOW, ttlMs: TTL }).token;

function refusal(
  token: string,
  q: EventQuery = shipping,
  nowMs = NOW + 1000,
  withSecret: Uint8Array = secret,
) {
  const opened = openPageToken(token, q, { secret: withSecret, nowMs });
  if (opened.ok) throw new Error('expected the token to be refused');
  expect(opened.problem).toMatchObject({ type: 'QueryParameterException', parameter: 'nextPageToken' });
  return opened.problem.detail;
}

describe('nextPageToken', () => {
  it('gives back the keyset position it was issued for, until it expires', () => {
    const opened = openPageToken(issue(), shipping, { secret, nowMs: NOW + TTL - 1 });
    expect(opened).toEqual({ ok: true, key, expiresAtMs: NOW + TTL });
  });

  it('round-trips string and missing-field order values', () => {
    for (const sortValue of ['lot-7', null]) {
      const opened = openPageToken(issue({ ...key, sortValue }), shipping, { secret, nowMs: NOW });
      expect(opened.ok && opened.key.sortValue).toBe(sortValue);
    }
  });

  it('derives GS1-Next-Page-Token-Expires from the token', () => {
    expect(pageTokenExpiresHeader(issue())).toBe(new Date(NOW + TTL).toISOString());
  });

  it('is accepted with the same parameters in another order or with another perPage', () => {
    const reordered = query(
      'orderBy=eventTime&GE_eventTime=2026-01-01T00:00:00Z&EQ_bizStep=cbv:BizStep-shipping&perPage=100',
    );
    expect(openPageToken(issue(), reordered, { secret, nowMs: NOW }).ok).toBe(true);
  });

  it('refuses a token used with different query parameters', () => {
    expect(
      refusal(issue(), query('EQ_bizStep=receiving&GE_eventTime=2026-01-01T00:00:00Z&orderBy=eventTime')),
    ).toContain('different parameters');
    expect(
      refusal(issue(), query('EQ_bizStep=shipping&GE_eventTime=2026-01-01T00:00:00Z&orderBy=recordTime')),
    ).toContain('different parameters');
  });

  it('refuses an expired token', () => {
    expect(refusal(issue(), shipping, NOW + TTL)).toContain('expired');
  });

  it('refuses a token whose position was edited (forged seq, same signature)', () => {
    const [body, mac] = issue().split('.');
    const payload = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, s: 1, n: 0 })).toString('base64url');
    expect(refusal(`${forged}.${mac}`)).toContain('not a page token this server issued');
  });

  it('refuses a token with a flipped character', () => {
    const token = issue();
    const i = Math.floor(token.length / 3);
    const flipped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
    expect(refusal(flipped)).toContain('not a page token this server issued');
  });

  it('refuses a token signed with another key', () => {
    expect(refusal(issue(), shipping, NOW, randomBytes(32))).toContain('not a page token this server issued');
  });

  it.each(['', 'abc', 'a.b.c', '..', `${Buffer.from('{}').toString('base64url')}.x`])(
    'refuses the garbage token %j',
    (token) => {
      refusal(token);
    },
  );

  it('will not sign with a short key', () => {
    expect(() => issuePageToken(key, shipping, { secret: randomBytes(8), nowMs: NOW, ttlMs: TTL })).toThrow(
      RangeError,
    );
  });
});
