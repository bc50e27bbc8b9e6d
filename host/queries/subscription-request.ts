// The body of POST /queries/{name}/subscriptions (OpenAPI AbstractQuerySubscription with
// QueryStreamSubscription or QueryScheduleSubscription) → a checked subscription request. `stream`
// and `schedule` are mutually exclusive and one of them is required (EPCIS.md §1.6). Problems are
// SubscriptionControlsException sentences naming the member to fix.
import { parseInstantMs } from '../query/parse-scalar-values.js';
import { parseSchedule, type Schedule } from './schedule.js';

export interface SubscriptionRequest {
  dest: string;
  signatureToken: string | null;
  /** null: from now. */
  initialRecordTimeMs: number | null;
  reportIfEmpty: boolean;
  /** null: a stream subscription. */
  schedule: { schedule: Schedule; cron: string } | null;
}

export type SubscriptionRequestResult =
  { ok: true; request: SubscriptionRequest } | { ok: false; field: string; detail: string };

const MEMBERS = ['dest', 'signatureToken', 'initialRecordTime', 'reportIfEmpty', 'stream', 'schedule'];
const MAX_TOKEN_CHARS = 1024;

export function parseSubscriptionRequest(body: unknown): SubscriptionRequestResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return fail('', 'the body must be a JSON object like {"dest":"https://…","stream":true}.');
  }
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).find((key) => !MEMBERS.includes(key));
  if (unknown !== undefined)
    return fail(unknown, `${unknown} is not a subscription member; use ${MEMBERS.join(', ')}.`);

  const dest = destProblem(b['dest']);
  if (dest !== null) return fail('dest', dest);
  const token = b['signatureToken'];
  if (
    token !== undefined &&
    (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_CHARS)
  ) {
    return fail(
      'signatureToken',
      `signatureToken must be a non-empty string of at most ${MAX_TOKEN_CHARS} characters.`,
    );
  }
  let initialRecordTimeMs: number | null = null;
  if (b['initialRecordTime'] !== undefined) {
    const instant =
      typeof b['initialRecordTime'] === 'string' ? parseInstantMs(b['initialRecordTime']) : null;
    if (instant === null || !instant.ok) {
      return fail(
        'initialRecordTime',
        `initialRecordTime ${instant?.detail ?? 'must be an RFC 3339 date-time string'}.`,
      );
    }
    initialRecordTimeMs = instant.value;
  }
  const reportIfEmpty = b['reportIfEmpty'] ?? false;
  if (typeof reportIfEmpty !== 'boolean')
    return fail('reportIfEmpty', 'reportIfEmpty must be true or false.');

  const stream = b['stream'];
  if (stream !== undefined && stream !== true) {
    return fail(
      'stream',
      'stream can only be true (a stream subscription); leave it out and send a schedule instead.',
    );
  }
  if (stream === true && b['schedule'] !== undefined) {
    return fail('schedule', 'stream and schedule are mutually exclusive; send one of them.');
  }
  if (stream === undefined && b['schedule'] === undefined) {
    return fail(
      'schedule',
      'a subscription needs "stream": true or a "schedule" (like {"hour":"1","minute":"5"}).',
    );
  }
  if (stream === true && reportIfEmpty) {
    return fail(
      'reportIfEmpty',
      'reportIfEmpty applies to scheduled subscriptions; a stream reports only new events.',
    );
  }
  let schedule: SubscriptionRequest['schedule'] = null;
  if (b['schedule'] !== undefined) {
    const parsed = parseSchedule(b['schedule'], 'schedule');
    if (!parsed.ok) return fail(parsed.field, parsed.detail);
    schedule = { schedule: parsed.schedule, cron: parsed.cron };
  }
  return {
    ok: true,
    request: {
      dest: b['dest'] as string,
      signatureToken: typeof token === 'string' ? token : null,
      initialRecordTimeMs,
      reportIfEmpty,
      schedule,
    },
  };
}

function destProblem(dest: unknown): string | null {
  if (typeof dest !== 'string') return 'dest must be the http(s) URL the results are POSTed to.';
  let url: URL;
  try {
    url = new URL(dest);
  } catch {
    return `dest must be an absolute http(s) URL; got "${dest}".`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `dest must be an http or https URL; ${url.protocol.slice(0, -1)} is not delivered to.`;
  }
  if (url.username !== '' || url.password !== '') {
    return 'dest must not carry credentials; the receiver verifies deliveries by their GS1-Signature.';
  }
  return null;
}

function fail(field: string, detail: string): { ok: false; field: string; detail: string } {
  return { ok: false, field, detail };
}
