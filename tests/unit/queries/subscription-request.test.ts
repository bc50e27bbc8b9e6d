// POST /queries/{name}/subscriptions bodies: what a client may send and the field each refusal names.
import { describe, expect, it } from 'vitest';
import { parseSubscriptionRequest } from '../../../host/queries/subscription-request.js';

const dest = 'https://client.example.com/queryCallback';

describe('subscription requests', () => {
  it('accepts a stream subscription with a token and an initialRecordTime', () => {
    expect(
      parseSubscriptionRequest({
        dest,
        signatureToken: 'abc',
        stream: true,
        initialRecordTime: '2026-01-01T00:00:00+01:00',
      }),
    ).toEqual({
      ok: true,
      request: {
        dest,
        signatureToken: 'abc',
        initialRecordTimeMs: Date.parse('2025-12-31T23:00:00Z'),
        reportIfEmpty: false,
        schedule: null,
      },
    });
  });

  it('accepts the OpenAPI example schedule subscription', () => {
    const parsed = parseSubscriptionRequest({
      dest,
      reportIfEmpty: true,
      schedule: { hour: '1', minute: '5' },
    });

    expect(parsed).toMatchObject({
      ok: true,
      request: { reportIfEmpty: true, schedule: { cron: '0 5 1 * * *' } },
    });
  });

  it.each([
    [{ dest: 'ftp://client.example.com/x', stream: true }, 'dest'],
    [{ dest: 'mailto:ops@example.com', stream: true }, 'dest'],
    [{ dest: 'not a url', stream: true }, 'dest'],
    [{ stream: true }, 'dest'],
    [{ dest }, 'schedule'],
    [{ dest, stream: true, schedule: { hour: '1' } }, 'schedule'],
    [{ dest, stream: false }, 'stream'],
    [{ dest, stream: true, initialRecordTime: 'yesterday' }, 'initialRecordTime'],
    [{ dest, stream: true, signatureToken: '' }, 'signatureToken'],
    [{ dest, stream: true, callback: 'x' }, 'callback'],
    [{ dest, schedule: { minute: '99' } }, 'schedule.minute'],
  ])('refuses %j naming %s', (body, field) => {
    expect(parseSubscriptionRequest(body)).toMatchObject({ ok: false, field });
  });
});
