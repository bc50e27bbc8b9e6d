import { beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../../host/core/gateway.js';
import { CoreStatus } from '../../../host/core/status.js';
import { json, loadCore, utf8 } from '../../helpers/core.js';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { validExamples } from '../../helpers/shared-data.js';

let core: TrackerCore;
beforeAll(async () => {
  core = await loadCore({ limits: { maxDocumentBytes: 32 * 1024 * 1024 } });
});

const documentIssue = (text: Uint8Array) => {
  const result = core.prepare(text);
  expect(result.status).not.toBe(CoreStatus.Ok);
  expect(result.events.filter((e) => e.accepted)).toEqual([]);
  const issue = result.issues.find((i) => i.eventIndex === -1);
  expect(issue, JSON.stringify(result.issues)).toBeDefined();
  return issue!.message;
};

describe('hostile and broken input', () => {
  it('rejects JSON truncated at any position without trapping', () => {
    const example = validExamples().find((e) =>
      e.name.endsWith('Example_9.6.1-ObjectEvent-with-pseudo-SBDH-headers.jsonld'),
    );
    const bytes = example!.bytes;
    for (let cut = 0; cut < bytes.length; cut += 7) {
      expect(documentIssue(bytes.subarray(0, cut))).toMatch(/JSON/);
    }
    expect(core.instances).toBe(1);
  });

  it('refuses a body over the size limit before parsing it', () => {
    const huge = new Uint8Array(100 * 1024 * 1024).fill(0x20);
    const result = core.prepare(huge);
    expect(result.status).toBe(CoreStatus.TooLarge);
    expect(result.issues[0]?.message).toMatch(/limit is 33554432 bytes/);
  });

  it('rejects a million nested arrays with a depth error instead of overflowing the stack', () => {
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(documentIssue(utf8(deep))).toMatch(/deep|depth|nest/i);
    expect(core.instances).toBe(1);
  });

  it('rejects invalid UTF-8 inside a string', () => {
    const doc = utf8(
      JSON.stringify(epcisDocument([objectEvent('2026-01-01T00:00:00Z', 'ADD', [sgtin('SERIAL')])])),
    );
    const at = Buffer.from(doc).indexOf('SERIAL');
    const broken = Uint8Array.from(doc);
    broken[at] = 0xc3;
    broken[at + 1] = 0x28;
    expect(documentIssue(broken)).toMatch(/UTF-8/);
  });

  it('treats absurdly large numbers as numbers of the wrong kind, not as a crash', () => {
    const event = {
      ...objectEvent('2026-01-01T00:00:00Z', 'ADD', []),
      quantityList: [
        { epcClass: 'urn:epc:class:lgtin:0614141.107346.L1', quantity: Number.POSITIVE_INFINITY },
      ],
    };
    const text = JSON.stringify(epcisDocument([event])).replace('null', '1' + 'e400');
    const result = core.prepare(utf8(text));
    expect(core.instances).toBe(1);
    core.discard(result.batchId);
    const big = JSON.stringify(epcisDocument([event])).replace('null', '123456789012345678901234567890');
    const bigResult = core.prepare(utf8(big));
    expect(bigResult.events[0]?.accepted).toBe(true);
    core.discard(bigResult.batchId);
  });

  it('captures one event with 100,000 EPCs and tracks every one of them', () => {
    const epcs = Array.from({ length: 100_000 }, (_, i) => sgtin(i));
    const result = core.capture(json(epcisDocument([objectEvent('2026-01-01T00:00:00Z', 'ADD', epcs)])));
    expect(result.status).toBe(CoreStatus.Ok);
    const event = result.events[0];
    expect(event?.accepted && event.epcs.length).toBe(100_000);
    expect(core.stats().epcs).toBe(100_000);
    expect(core.state(sgtin(99_999))?.lastEventTimeMs).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });

  it('keeps memory bounded across many rejected documents', () => {
    const garbage = utf8(
      '{"type":"EPCISDocument","epcisBody":{"eventList":[' + '{"x":1},'.repeat(20000) + '{}]}}',
    );
    core.prepare(garbage);
    const before = core.stats().memoryBytes;
    for (let i = 0; i < 30; i++) core.prepare(garbage);
    expect(core.stats().memoryBytes).toBe(before);
  });
});
