// GS1's and OpenEPCIS's published examples through the whole service: every valid document (or bare
// event) is captured over HTTP and each of its events is found again with GET /events and compared,
// member by member, with what was sent; every invalid one is refused with the reason. The examples
// are read from ../shared/conformance (tests/helpers/shared-data.ts), never copied here.
import { describe, expect, it } from 'vitest';
import { buildServiceApp, eventList, get, post, type ServiceApp } from '../../helpers/service-app.js';
import { type ExampleDocument, invalidExamples, validExamples } from '../../helpers/shared-data.js';
import { expectCaptureJob, expectProblem, type ProblemBody } from './helpers/expectations.js';

type Json = Record<string, unknown>;

const NEVER_TRANSLATES = { 'GS1-EPC-Format': 'Never_Translates' };
const HASH_ID = /^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/;
const INSTANCE_FIELDS = ['epcList', 'childEPCs', 'inputEPCList', 'outputEPCList'];
const CLASS_FIELDS = ['quantityList', 'childQuantityList', 'inputQuantityList', 'outputQuantityList'];
// Second spellings of an object an earlier entry of the same published list already names (one
// object is one EPC: answers keep the first spelling). OpenEPCIS's epcisDocWithAllGS1Keys lists
// SSCC 4012345.0000000333 as a URN and again as a Digital Link.
const REPEATED_SPELLINGS = new Set(['https://id.gs1.org/00/040123450000003338']);

/** The event as the service answers it: each EPC list without the repeated spellings. */
function asAnswered(event: Json): Json {
  const answered: Json = { ...event };
  for (const field of INSTANCE_FIELDS) {
    const list = event[field];
    if (Array.isArray(list)) answered[field] = list.filter((id) => !REPEATED_SPELLINGS.has(String(id)));
  }
  return answered;
}

interface Example {
  document: Json;
  isDocument: boolean;
  events: Json[];
}

function parseExample(example: ExampleDocument): Example {
  const document = JSON.parse(example.bytes.toString('utf8')) as Json;
  const body = document['epcisBody'] as
    { eventList?: Json[]; queryResults?: { resultsBody: { eventList: Json[] } } } | undefined;
  if (document['type'] === 'EPCISDocument') return { document, isDocument: true, events: body!.eventList! };
  if (document['type'] === 'EPCISQueryDocument')
    return { document, isDocument: true, events: body!.queryResults!.resultsBody.eventList };
  return { document, isDocument: false, events: [document] };
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

function instanceIds(event: Json): string[] {
  const parent = typeof event['parentID'] === 'string' ? [event['parentID']] : [];
  return [...INSTANCE_FIELDS.flatMap((field) => strings(event[field])), ...parent];
}

function classIds(event: Json): string[] {
  return CLASS_FIELDS.flatMap((field) =>
    Array.isArray(event[field]) ? (event[field] as Json[]).map((q) => String(q['epcClass'])) : [],
  );
}

const readPointOf = (event: Json): string | undefined =>
  (event['readPoint'] as { id?: string } | undefined)?.id;

/**
 * Query parameters that find `event` again, and a predicate telling which events of the same
 * example those parameters also find (so the expected number of answers is known): its eventID when
 * it has one; otherwise its type, the second of its eventTime and one of its identifiers.
 */
function findAgain(event: Json): { params: Record<string, string>; alsoFinds: (other: Json) => boolean } {
  const eventID = event['eventID'];
  if (typeof eventID === 'string') {
    return { params: { EQ_eventID: eventID }, alsoFinds: (other) => other['eventID'] === eventID };
  }
  const second = Math.floor(Date.parse(String(event['eventTime'])) / 1000) * 1000;
  const params: Record<string, string> = {
    eventType: String(event['type']),
    GE_eventTime: new Date(second).toISOString(),
    LT_eventTime: new Date(second + 1000).toISOString(),
  };
  const sameSecond = (other: Json) =>
    other['type'] === event['type'] &&
    Math.floor(Date.parse(String(other['eventTime'])) / 1000) * 1000 === second;
  const [instance] = instanceIds(event);
  const [epcClass] = classIds(event);
  const readPoint = readPointOf(event);
  if (instance !== undefined) {
    params['MATCH_anyEPC'] = instance;
    return { params, alsoFinds: (other) => sameSecond(other) && instanceIds(other).includes(instance) };
  }
  if (epcClass !== undefined) {
    params['MATCH_anyEPCClass'] = epcClass;
    return { params, alsoFinds: (other) => sameSecond(other) && classIds(other).includes(epcClass) };
  }
  if (readPoint !== undefined) {
    params['EQ_readPoint'] = readPoint;
    return { params, alsoFinds: (other) => sameSecond(other) && readPointOf(other) === readPoint };
  }
  return { params, alsoFinds: sameSecond };
}

async function capture(service: ServiceApp, example: ExampleDocument, parsed: Example, headers = {}) {
  return post(service.app, parsed.isDocument ? '/capture' : '/events', example.bytes, headers);
}

describe('valid published examples, captured and queried through HTTP', () => {
  const examples = validExamples();

  it('finds the published examples', () => {
    expect(examples.length).toBeGreaterThan(60);
  });

  it.each(examples.map((example) => [example.name, example] as const))(
    'captures %s and finds every event again as captured',
    async (_name, example) => {
      const service = await buildServiceApp();
      try {
        const parsed = parseExample(example);
        const before = Date.now();
        const response = await capture(service, example, parsed);
        const after = Date.now();
        if (parsed.isDocument) {
          expect(response.statusCode, response.body).toBe(202);
          expect(expectCaptureJob(response.json()), response.body).toMatchObject({
            running: false,
            success: true,
          });
        } else {
          expect(response.statusCode, response.body).toBe(201);
          const byLocation = await get(service.app, String(response.headers['location']), NEVER_TRANSLATES);
          expect(byLocation.statusCode).toBe(200);
          expect(eventList(byLocation)).toEqual([expect.objectContaining({ type: parsed.document['type'] })]);
        }

        for (const [index, event] of parsed.events.entries()) {
          const { params, alsoFinds } = findAgain(event);
          const url = `/events?${new URLSearchParams({ ...params, perPage: '1000' }).toString()}`;
          const found = await get(service.app, url, NEVER_TRANSLATES);
          expect(found.statusCode, `${url}: ${found.body}`).toBe(200);
          const answers = eventList(found);
          const where = `event ${index}, found with ${url}`;

          expect(answers, where).toHaveLength(parsed.events.filter(alsoFinds).length);
          expect(answers, where).toContainEqual({
            ...asAnswered(event),
            eventID: typeof event['eventID'] === 'string' ? event['eventID'] : expect.stringMatching(HASH_ID),
            recordTime: expect.any(String),
          });
          for (const answer of answers) {
            const recordTime = Date.parse(String(answer['recordTime']));
            expect(recordTime, where).toBeGreaterThanOrEqual(before);
            expect(recordTime, where).toBeLessThanOrEqual(after);
          }
        }

        const all = await get(service.app, '/events?perPage=1000', NEVER_TRANSLATES);
        expect(eventList(all)).toHaveLength(parsed.events.length);
      } finally {
        await service.close();
      }
    },
  );
});

describe('invalid published examples, refused through HTTP', () => {
  const examples = invalidExamples();

  it('finds the published invalid examples', () => {
    expect(examples.length).toBeGreaterThan(10);
  });

  it.each(examples.map((example) => [example.name, example] as const))(
    'refuses %s with 400 naming the reason; proceed stores only the valid events',
    async (_name, example) => {
      const service = await buildServiceApp();
      try {
        const parsed = parseExample(example);
        const rollback = await capture(service, example, parsed);

        const problem = expectProblem(rollback, 400, 'ValidationException');
        const issues = problem['errors'] as ProblemBody[];
        expect(issues.length).toBeGreaterThan(0);
        for (const issue of issues) {
          expect(issue.type).toBe('epcisException:ValidationException');
          expect(issue['pointer']).toBeTypeOf('string');
          expect(issue.detail).toContain(String(issue['pointer']));
        }
        expect(eventList(await get(service.app, '/events', NEVER_TRANSLATES))).toEqual([]);
        if (!parsed.isDocument) return;

        const proceed = await capture(service, example, parsed, { 'GS1-Capture-Error-Behaviour': 'proceed' });
        const rejected = new Set(issues.map((issue) => issue['eventIndex']));
        const stored = eventList(await get(service.app, '/events?perPage=1000', NEVER_TRANSLATES));
        if (proceed.statusCode === 400) {
          expect(expectProblem(proceed, 400, 'ValidationException').detail).toBe(problem.detail);
          expect(stored).toEqual([]);
        } else {
          expect(proceed.statusCode, proceed.body).toBe(202);
          const job = expectCaptureJob(proceed.json());
          expect(job).toMatchObject({ running: false, success: false, captureErrorBehaviour: 'proceed' });
          expect(job.errors).toEqual(issues);
          expect(rejected.has(-1)).toBe(false);
          expect(stored).toHaveLength(parsed.events.length - rejected.size);
        }
      } finally {
        await service.close();
      }
    },
  );
});
