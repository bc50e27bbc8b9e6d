import { beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../../host/core/gateway.js';
import { CoreStatus } from '../../../host/core/status.js';
import { loadCore } from '../../helpers/core.js';
import { invalidExamples, validExamples } from '../../helpers/shared-data.js';

function eventCount(document: unknown): number {
  const doc = document as { type?: string; epcisBody?: Record<string, unknown> };
  if (doc.type === 'EPCISDocument') return (doc.epcisBody?.['eventList'] as unknown[]).length;
  if (doc.type === 'EPCISQueryDocument') {
    const results = doc.epcisBody?.['queryResults'] as { resultsBody: { eventList: unknown[] } };
    return results.resultsBody.eventList.length;
  }
  return 1;
}

let core: TrackerCore;
beforeAll(async () => {
  core = await loadCore();
});

describe('capturing GS1 and OpenEPCIS published examples', () => {
  for (const example of validExamples()) {
    it(`accepts every event of ${example.name}`, () => {
      const result = core.prepare(example.bytes);
      expect(result.issues, JSON.stringify(result.issues, null, 1)).toEqual([]);
      expect(result.status).toBe(CoreStatus.Ok);
      const expected = eventCount(JSON.parse(example.bytes.toString('utf8')));
      expect(result.events).toHaveLength(expected);
      for (const event of result.events) {
        expect(event.accepted).toBe(true);
        // The byte range is the event's own JSON text, which the host stores as captured.
        const text = example.bytes.subarray(event.start, event.end).toString('utf8');
        expect(JSON.parse(text)).toHaveProperty('type');
        if (event.accepted) expect(event.hashId).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
      }
      core.discard(result.batchId);
    });
  }
});

describe('rejecting invalid documents', () => {
  for (const example of invalidExamples()) {
    it(`rejects ${example.name} with an issue that names the field`, () => {
      const result = core.prepare(example.bytes);
      expect(result.status).not.toBe(CoreStatus.Ok);
      expect(result.issues.length).toBeGreaterThan(0);
      for (const issue of result.issues) {
        expect(issue.message.length).toBeGreaterThan(10);
        expect(typeof issue.pointer).toBe('string');
      }
      const rejected = result.events.filter((e) => !e.accepted);
      expect(rejected.length + (result.issues.some((i) => i.eventIndex === -1) ? 1 : 0)).toBeGreaterThan(0);
      core.discard(result.batchId);
    });
  }
});

describe('draft sensor rules (strict mode)', () => {
  const allFields = () =>
    validExamples().find((e) =>
      e.name.endsWith('gs1/JSON/WithFullCombinationOfFields/object_event_all_possible_fields.jsonld'),
    )!;

  it('accepts GS1s own all-fields example by default, though it restates sensor attributes', () => {
    const result = core.prepare(allFields().bytes);
    core.discard(result.batchId);
    expect(result.status).toBe(CoreStatus.Ok);
  });

  it('rejects restated sensor attributes and readings after the event when asked to be strict', async () => {
    const strict = await loadCore({ limits: { strictSensorRules: true } });
    const result = strict.prepare(allFields().bytes);
    expect(result.status).toBe(CoreStatus.Rejected);
    const messages = result.issues.map((i) => i.message).join('\n');
    expect(messages).toMatch(/deviceID is given both in sensorMetadata and in this sensorReport/);
    expect(messages).toMatch(/sensorMetadata time "2019-04-02T13:05:00.000Z" is later than the eventTime/);
    expect(result.issues.some((i) => i.pointer.endsWith('/sensorReport/0/deviceID'))).toBe(true);
  });
});
