// The store half of GET /metrics/server, read at scrape time from what the server holds: the
// journal, the inbound tail, the state index, linear memory, and when and what was started.
import { Utf8Writer } from '../../json/utf8-writer';
import { journal, stateIndex } from '../capture/server-store';
import { inboundLagBytes, inboundRecordsApplied } from '../inbound/inbound-tail';
import { family, sample, single } from './prometheus-text';
import { counters, journalSyncDurations } from './server-metrics';

/** The version GS1-Vendor-Version announces (response-writer.ts), as build_info's label. */
const VERSION = '0.1.0';

export function writeJournal(out: Utf8Writer): void {
  single(
    out,
    'edgetrace_server_journal_records_appended_total',
    'counter',
    'Journal records appended (one per accepted event) since the server started.',
    journal.lastSeq - counters.journalSeqAtStart,
  );
  single(
    out,
    'edgetrace_server_journal_append_failures_total',
    'counter',
    'Journal appends the file system refused (full disk, I/O error); the capture was answered 503.',
    journal.appendFailures,
  );
  const sync = 'edgetrace_server_journal_fdatasync_duration_seconds';
  family(
    out,
    sync,
    'histogram',
    'One fdatasync of the journal, covering every capture of an event-loop turn.',
  );
  journalSyncDurations.write(out, sync, '');
  single(
    out,
    'edgetrace_server_journal_last_seq',
    'gauge',
    'Seq of the last journal record.',
    journal.lastSeq,
  );
}

export function writeInbound(out: Utf8Writer): void {
  single(
    out,
    'edgetrace_server_inbound_records_applied_total',
    'counter',
    'Records of DATA_DIR/inbound/ (events the sidecar received by sync) applied to the state index since the server started.',
    inboundRecordsApplied(),
  );
  single(
    out,
    'edgetrace_server_inbound_lag_bytes',
    'gauge',
    'Bytes of inbound/ waiting behind a record that fails its checksum; 0 while applying.',
    <u64>max<i64>(inboundLagBytes(), 0),
  );
}

export function writeProcess(out: Utf8Writer): void {
  single(
    out,
    'edgetrace_server_state_epcs',
    'gauge',
    'EPCs tracked in the state index.',
    <u64>stateIndex.epcCount(),
  );
  single(
    out,
    'edgetrace_server_state_events',
    'gauge',
    'Events applied to the state index.',
    <u64>stateIndex.eventCount(),
  );
  single(
    out,
    'edgetrace_server_wasm_memory_bytes',
    'gauge',
    'Size of tracker-server.wasm linear memory.',
    (<u64>memory.size()) << 16,
  );
  single(
    out,
    'edgetrace_server_start_time_seconds',
    'gauge',
    'When the server started, in seconds since 1970.',
    <u64>(counters.startTimeMs / 1000),
  );
  family(
    out,
    'edgetrace_server_build_info',
    'gauge',
    'Always 1; the version of tracker-server.wasm as a label.',
  );
  sample(out, 'edgetrace_server_build_info', 'version="' + VERSION + '",runtime="wasmedge"', 1);
}
