// The state snapshot tracker-server.wasm starts from (assembly/state/snapshot-*.ts), through the
// Node core: a snapshot restored into another instance answers every lookup as the index it was
// taken from, keeps working as events keep coming, and a damaged snapshot is refused whole.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../../../host/core/errors.js';
import type { TrackerCore } from '../../../host/core/gateway.js';
import { SnapshotChecksum } from '../../../host/core/snapshot-checksum.js';
import { json, loadCore } from '../../helpers/core.js';
import { answers } from './support/index-answers.js';
import {
  epcisDocument,
  type EpcisEvent,
  objectEvent,
  sgln,
  sgtin,
  sscc,
  aggregationEvent,
} from '../../helpers/epcis-builders.js';
import {
  LOTS,
  TRACKED_CONTAINERS,
  TRACKED_ITEMS,
  trackingHistory,
} from '../../helpers/random-tracking-histories.js';

let source: TrackerCore;
let restored: TrackerCore;
beforeAll(async () => {
  source = await loadCore();
  restored = await loadCore();
});

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

function capture(core: TrackerCore, events: readonly EpcisEvent[]): void {
  for (let at = 0; at < events.length; at += 500) {
    const result = core.capture(json(epcisDocument(events.slice(at, at + 500))));
    expect(result.issues).toEqual([]);
  }
}

function snapshotOf(core: TrackerCore, keys: readonly string[] = []): Uint8Array {
  core.resetSnapshotKeys();
  core.addSnapshotKeys(keys);
  const parts = core.writeSnapshot(7, 3);
  SnapshotChecksum.seal(parts);
  return concat(parts);
}

const POOL = [...TRACKED_ITEMS, ...TRACKED_CONTAINERS, ...LOTS, sgln('00001'), sgln('00002'), sgln('00003')];

describe('a state snapshot restored into another core', () => {
  it('answers every state, contents and tree lookup as the index it was taken from, for random histories', () => {
    fc.assert(
      fc.property(trackingHistory, trackingHistory, (before, after) => {
        source.resetState();
        restored.resetState();
        capture(source, before);
        const { journalSeq, inboundSeq } = restored.restoreSnapshot(snapshotOf(source));
        expect({ journalSeq, inboundSeq }).toEqual({ journalSeq: 7, inboundSeq: 3 });
        expect(answers(restored, POOL)).toEqual(answers(source, POOL));
        // The restored arenas and tables keep growing as the live ones do.
        capture(source, after);
        capture(restored, after);
        expect(answers(restored, POOL)).toEqual(answers(source, POOL));
      }),
      { numRuns: 60, seed: 20261207 },
    );
  });

  it('holds an index of many chunks byte for byte: client event IDs, packed pallets, declarations', () => {
    source.resetState();
    restored.resetState();
    const events: EpcisEvent[] = [];
    for (let n = 0; n < 6000; n++) {
      const items = Array.from({ length: 8 }, (_, k) => sgtin(`${n}x${k}`));
      const event =
        n % 3 === 0
          ? aggregationEvent(`2026-01-0${1 + (n % 9)}T08:00:00Z`, 'ADD', sscc(n + 1), items, {
              bizLocation: sgln('00001'),
            })
          : objectEvent(`2026-01-0${1 + (n % 9)}T08:00:00Z`, 'ADD', items, { disposition: 'active' });
      if (n % 2 === 0) event['eventID'] = `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      events.push(event);
    }
    capture(source, events);
    const snapshot = snapshotOf(source);
    expect(snapshot.length).toBeGreaterThan(2 << 20);
    restored.restoreSnapshot(snapshot);
    const sample = [sgtin('0x0'), sgtin('5999x7'), sgtin('3001x4'), sscc(1), sscc(5998), sscc(2999)];
    expect(answers(restored, sample)).toEqual(answers(source, sample));
    // The restored index is the same memory: its own snapshot is the same bytes.
    expect(Buffer.from(snapshotOf(restored)).equals(Buffer.from(snapshot))).toBe(true);
  });

  it('carries the duplicate keys: event IDs and error declarations, nothing else', () => {
    source.resetState();
    const keys = ['urn:uuid:1', 'ni:///sha-256;00ff?ver=CBV2.0', 'urn:uuid:1\n1767225600000', 'ü-ﬁ-𝄞'];
    restored.restoreSnapshot(snapshotOf(source, keys));
    for (const key of keys) expect(restored.snapshotKeys(key), key).toEqual({ count: 4, has: true });
    for (const key of ['urn:uuid:2', 'urn:uuid:1\n1767225600001', 'urn:uuid:1\n', ''])
      expect(restored.snapshotKeys(key).has, key).toBe(false);
  });

  it('holds 100,000 keys in a set that grew past its first sizes', () => {
    source.resetState();
    const keys = Array.from({ length: 100_000 }, (_, n) => `urn:uuid:${n}`);
    restored.restoreSnapshot(snapshotOf(source, keys));
    expect(restored.snapshotKeys('urn:uuid:99999')).toEqual({ count: 100_000, has: true });
    expect(restored.snapshotKeys('urn:uuid:100000').has).toBe(false);
  });
});

describe('a damaged state snapshot', () => {
  function refusal(bytes: Uint8Array): string {
    try {
      restored.restoreSnapshot(bytes);
    } catch (error) {
      expect(error).toBeInstanceOf(CoreError);
      return (error as Error).message;
    }
    return 'accepted';
  }

  let good: Uint8Array;
  beforeAll(() => {
    source.resetState();
    restored.resetState();
    capture(source, [
      objectEvent('2026-01-01T08:00:00Z', 'ADD', [sgtin(1), sgtin(2)], { bizLocation: sgln('00002') }),
    ]);
    good = snapshotOf(source, ['urn:uuid:kept']);
    restored.restoreSnapshot(good);
  });

  it('is refused when any byte after the magic is flipped, and the index keeps its state', () => {
    const before = answers(restored, [sgtin(1)]);
    for (const at of [8, 12, 20, 40, 56, 100, good.length >> 1, good.length - 1]) {
      const bad = good.slice();
      bad[at] = bad[at]! ^ 0x10;
      expect(refusal(bad), `byte ${at}`).not.toBe('accepted');
    }
    expect(answers(restored, [sgtin(1)])).toEqual(before);
    expect(restored.snapshotKeys('urn:uuid:kept').has).toBe(true);
  });

  it('is refused when truncated or extended', () => {
    expect(refusal(good.subarray(0, good.length - 1))).toMatch(/truncated/);
    expect(refusal(good.subarray(0, 40))).toMatch(/header/);
    expect(refusal(concat([good, new Uint8Array(1)]))).toMatch(/truncated or extended/);
  });

  it('is refused when written by another layout version', () => {
    const other = good.slice();
    new DataView(other.buffer).setUint32(12, 99, true);
    expect(refusal(other)).toMatch(/layout version 99/);
  });

  it('is refused when it is not a snapshot at all', () => {
    expect(refusal(new TextEncoder().encode('{"not":"a snapshot"}'.padEnd(200, ' ')))).toMatch(/magic/);
  });
});
