// What the server keeps across requests: the journal, the state index it feeds, the event IDs it
// holds (duplicates are never journalled twice) and the capture jobs it answered. All globals: the
// event loop collects garbage, and the minimal runtime never scans the stack.
import { applyStoredEntry } from '../../abi/apply-events';
import { CaptureLimits } from '../../capture/limits';
import { parseJson, ParseLimits } from '../../json/parser';
import { JsonNumber, JsonObject } from '../../json/value';
import { StateIndex } from '../../state/state-index';
import { JournalFile, ReplaySummary } from '../journal/journal-file';
import { duplicateKey } from './journal-record';

export const JOURNAL_FILE = 'journal.log';

export const journal = new JournalFile();
export const stateIndex = new StateIndex();
/** duplicateKey() of every journalled event. */
export const storedEventKeys = new Set<string>();
/** captureID → the job's JSON, for GET /capture/{id} of this process's recent jobs. */
export const jobs = new Map<string, string>();
// The newest jobs only (about 250 bytes each): an older one is the sidecar's to answer, from SQLite.
const MAX_JOBS: i32 = 10_000;
const jobOrder = new Array<string>();
let oldestJob: i32 = 0;

export function rememberJob(captureId: string, json: string): void {
  jobs.set(captureId, json);
  jobOrder.push(captureId);
  if (jobs.size > MAX_JOBS) jobs.delete(unchecked(jobOrder[oldestJob++]));
  // Drop the forgotten head of the order list now and then, not on every job.
  if (oldestJob >= MAX_JOBS) {
    jobOrder.splice(0, oldestJob);
    oldestJob = 0;
  }
}
// The Node service's core limits (host/core/gateway.ts; CAPTURE_LIMIT_BYTES 16 MiB, 10,000 events).
export const captureLimits = new CaptureLimits();
captureLimits.maxDocumentBytes = 16 << 20;

let malformedRecords = 0;

function replayRecord(ptr: usize, len: i32, _seq: u64): void {
  const parsed = parseJson(ptr, len, new ParseLimits()).value;
  const record: JsonObject | null = parsed === null ? null : parsed.asObject();
  if (record === null) {
    malformedRecords++;
    return;
  }
  const eventId = record.getString('eventId');
  const state = record.getArray('state');
  if (eventId === null || state === null || !applyStoredEntry(state, stateIndex)) {
    malformedRecords++;
    return;
  }
  const declared = record.get('declarationTimeMs');
  const declarationTime: JsonNumber | null = declared === null ? null : declared.asNumber();
  storedEventKeys.add(
    declarationTime === null ? eventId : duplicateKey(eventId, <i64>declarationTime.value, true),
  );
}

/** Opens the journal in the preopened data directory and replays it into the state index. */
export function openJournal(dataDirFd: i32): ReplaySummary {
  const summary = journal.open(dataDirFd, JOURNAL_FILE, replayRecord);
  if (summary.error.length == 0 && malformedRecords > 0) {
    // A record whose checksum holds but whose JSON does not is a bug of the writer, not a torn write.
    summary.error = malformedRecords.toString() + ' journal records are not in the expected form';
  }
  return summary;
}
