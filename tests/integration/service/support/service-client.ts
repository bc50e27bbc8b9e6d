// HTTP calls to a running service through its public API only: send planned captures and record
// what the service answered, page through GET /events, read a gauge from /metrics.
import type { PlannedCapture } from './capture-plan.js';

/**
 * acked: the service answered that the capture is committed (202 with a finished, successful job,
 * or 201). refused: any other HTTP answer. failed: no answer (connection refused or reset).
 */
export type Outcome =
  | { kind: 'acked'; status: number; captureId: string | null }
  | { kind: 'refused'; status: number; contentType: string; body: string }
  | { kind: 'failed'; error: string };

export interface Attempt {
  capture: PlannedCapture;
  /** Date.now() when the request was sent and when its outcome was known. */
  sentMs: number;
  settledMs: number;
  outcome: Outcome;
}

interface CaptureJobBody {
  captureID?: unknown;
  running?: unknown;
  success?: unknown;
}

export const REQUEST_TIMEOUT_MS = 10_000;

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}

export async function send(baseUrl: string, capture: PlannedCapture): Promise<Attempt> {
  const sentMs = Date.now();
  let outcome: Outcome;
  try {
    const response = await fetch(`${baseUrl}${capture.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: capture.body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    if (response.status === 201 && capture.path === '/events') {
      const location = response.headers.get('location');
      const expected = `/events/${encodeURIComponent(capture.eventIds[0]!)}`;
      outcome =
        location === expected
          ? { kind: 'acked', status: 201, captureId: null }
          : { kind: 'refused', status: 201, contentType, body: `Location ${location}, expected ${expected}` };
    } else if (response.status === 202 && capture.path === '/capture') {
      const job = JSON.parse(body) as CaptureJobBody;
      outcome =
        job.running === false && job.success === true && typeof job.captureID === 'string'
          ? { kind: 'acked', status: 202, captureId: job.captureID }
          : { kind: 'refused', status: 202, contentType, body };
    } else {
      outcome = { kind: 'refused', status: response.status, contentType, body };
    }
  } catch (error) {
    outcome = { kind: 'failed', error: errorText(error) };
  }
  return { capture, sentMs, settledMs: Date.now(), outcome };
}

export interface StreamOptions {
  clients: number;
  /** Plans the next capture of a client. */
  next: (client: number, step: number) => PlannedCapture;
  /** Upper bound on captures per client. */
  maxPerClient: number;
  /** Stop sending new captures after this moment (Date.now()). */
  deadlineMs: number;
  /** A client stops after the first capture that was not acknowledged. */
  stopOnFirstFailure: boolean;
  onAttempt?: (attempt: Attempt) => void;
}

/** Concurrent clients, each sending one capture at a time; resolves with every attempt. */
export async function runStream(baseUrl: string, options: StreamOptions): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  const client = async (id: number) => {
    for (let step = 0; step < options.maxPerClient && Date.now() < options.deadlineMs; step++) {
      const attempt = await send(baseUrl, options.next(id, step));
      attempts.push(attempt);
      options.onAttempt?.(attempt);
      if (options.stopOnFirstFailure && attempt.outcome.kind !== 'acked') return;
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, id) => client(id)));
  return attempts;
}

export interface QueriedEvent {
  eventID: string;
  [field: string]: unknown;
}

interface QueryDocument {
  epcisBody?: { queryResults?: { resultsBody?: { eventList?: QueriedEvent[] } } };
}

/** Every event GET /events returns, following the Link header page by page (bounded). */
export async function listAllEvents(baseUrl: string, maxPages = 500): Promise<QueriedEvent[]> {
  const events: QueriedEvent[] = [];
  let next: string | null = '/events?perPage=1000';
  for (let page = 0; next !== null; page++) {
    if (page >= maxPages) throw new Error(`GET /events still had a next page after ${maxPages} pages`);
    const response: Response = await fetch(`${baseUrl}${next}`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (response.status !== 200)
      throw new Error(`GET ${next} answered ${response.status}: ${await response.text()}`);
    const document = (await response.json()) as QueryDocument;
    events.push(...(document.epcisBody?.queryResults?.resultsBody?.eventList ?? []));
    const link = response.headers.get('link');
    next = link === null ? null : (/^<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null);
  }
  return events;
}

/** Distinct instance EPCs named by events as the query API returns them. */
export function distinctInstanceEpcs(events: readonly QueriedEvent[]): Set<string> {
  const epcs = new Set<string>();
  for (const event of events) {
    for (const field of ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList']) {
      const list = event[field];
      if (Array.isArray(list)) for (const epc of list) epcs.add(String(epc));
    }
    if (typeof event['parentID'] === 'string') epcs.add(event['parentID']);
  }
  return epcs;
}

/** The value of an unlabelled metric in /metrics; throws when it is not exposed. */
export async function metricValue(baseUrl: string, name: string): Promise<number> {
  const response = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await response.text();
  const match = new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(text);
  if (match === null) throw new Error(`/metrics has no ${name}:\n${text.slice(0, 2000)}`);
  return Number(match[1]);
}

export async function getStatus(baseUrl: string, path: string): Promise<number> {
  const response = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  await response.arrayBuffer();
  return response.status;
}
