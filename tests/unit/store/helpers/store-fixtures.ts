// Builders for the store tests: AcceptedEvent values shaped like the core's output, and a fresh
// store (database + writer + committer + readers) on an in-memory or temporary file database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { AcceptedEvent } from '../../../../host/core/types.js';
import { CaptureJobs } from '../../../../host/store/capture-jobs.js';
import { EventReader } from '../../../../host/store/event-reader.js';
import type { EventToStore } from '../../../../host/store/event-writer.js';
import { EventWriter } from '../../../../host/store/event-writer.js';
import { type CommitInfo, GroupCommitter } from '../../../../host/store/group-committer.js';
import { openDatabase } from '../../../../host/store/open-database.js';
import { Outbox } from '../../../../host/store/outbox.js';

export function acceptedEvent(hashSeed: string, overrides: Partial<AcceptedEvent> = {}): AcceptedEvent {
  return {
    index: 0,
    accepted: true,
    start: 0,
    end: 0,
    type: 'ObjectEvent',
    action: 'OBSERVE',
    eventId: null,
    hashId: `ni:///sha-256;${hashSeed}?ver=CBV2.0`,
    eventTimeMs: Date.UTC(2024, 0, 1),
    eventTimeZoneOffset: '+01:00',
    bizStep: 'https://ref.gs1.org/cbv/BizStep-shipping',
    disposition: 'https://ref.gs1.org/cbv/Disp-in_transit',
    readPoint: 'https://id.gs1.org/414/4012345000115',
    bizLocation: null,
    transformationId: null,
    persistentDisposition: { set: [], unset: [] },
    epcs: [
      [`urn:epc:id:sgtin:0614141.107346.${hashSeed}`, 'epcList'],
      ['urn:epc:class:lgtin:0614141.107346.L1', 'quantityList', 10, 'KGM'],
    ],
    bizTransactions: [['https://ref.gs1.org/cbv/BTT-po', 'urn:epcglobal:cbv:bt:0614141000005:PO1']],
    sources: [],
    destinations: [],
    errorDeclaration: null,
    hasSensorData: false,
    ...overrides,
  };
}

/** An event to store under `eventId`; the hash is derived from it unless the event is given. */
export function toStore(eventId: string, overrides: Partial<EventToStore> = {}): EventToStore {
  return {
    event: acceptedEvent(eventId),
    eventId,
    body: JSON.stringify({ type: 'ObjectEvent', eventID: eventId }),
    contextJson: null,
    recordTimeMs: 1_700_000_000_000,
    captureId: null,
    originSite: 'site-a',
    enqueueForSync: true,
    ...overrides,
  };
}

/** An error declaration of `eventId` declared at `declarationTimeMs`. */
export function declarationOf(
  eventId: string,
  declarationTimeMs: number,
  corrective: string[] = [],
): EventToStore {
  const event = acceptedEvent(eventId, {
    errorDeclaration: { declarationTimeMs, reason: 'incorrect_data', correctiveEventIds: corrective },
  });
  return toStore(eventId, { event });
}

export interface TestStore {
  db: Database;
  writer: EventWriter;
  committer: GroupCommitter;
  reader: EventReader;
  outbox: Outbox;
  jobs: CaptureJobs;
  commits: CommitInfo[];
  path: string;
}

export function openStore(path = ':memory:', maxBatchEvents = 10_000): TestStore {
  const db = openDatabase({ path, synchronous: 'NORMAL' });
  const writer = new EventWriter(db);
  const commits: CommitInfo[] = [];
  const committer = new GroupCommitter(db, writer, {
    maxBatchEvents,
    onCommit: (info) => commits.push(info),
  });
  return {
    db,
    writer,
    committer,
    reader: new EventReader(db),
    outbox: new Outbox(db),
    jobs: new CaptureJobs(db),
    commits,
    path,
  };
}

/** A fresh directory for file databases; call the returned function to remove it. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'edgetrace-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function rowCount(db: Database, table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}
