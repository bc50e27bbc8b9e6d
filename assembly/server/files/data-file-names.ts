// Names of the files in the data directory's journal/, inbound/ and snapshot/ (the data-directory
// contract, docs/wasmedge-server.md "Journal segments"): seqs written as 20 decimal digits, so that
// name order is seq order and a segment's range is known from the names alone.
const SEQ_DIGITS: i32 = 20;
export const SEGMENT_SUFFIX = '.log';
export const SNAPSHOT_SUFFIX = '.snap';

export function seqDigits(seq: u64): string {
  const digits = seq.toString();
  return '0'.repeat(SEQ_DIGITS - digits.length) + digits;
}

/** `<first seq, 20 digits>.log` */
export function segmentName(firstSeq: u64): string {
  return seqDigits(firstSeq) + SEGMENT_SUFFIX;
}

/** The seq of 20 digits at `from`, or -1 when they are not 20 digits or exceed u64. */
function parseSeq(name: string, from: i32): i64 {
  let value: u64 = 0;
  for (let i = from; i < from + SEQ_DIGITS; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return -1;
    const next = value * 10 + <u64>(c - 0x30);
    if (next / 10 != value) return -1;
    value = next;
  }
  // Seqs are counts of records: far below 2^63.
  return value > <u64>i64.MAX_VALUE ? -1 : <i64>value;
}

/** The first seq a segment name says, or -1 for any other name (temp files, strays). */
export function parseSegmentName(name: string): i64 {
  if (name.length != SEQ_DIGITS + SEGMENT_SUFFIX.length || !name.endsWith(SEGMENT_SUFFIX)) return -1;
  return parseSeq(name, 0);
}

/** The segments' first seqs among `names`, ascending. */
export function segmentFirstSeqs(names: Array<string>): Array<u64> {
  const seqs = new Array<u64>();
  for (let i = 0; i < names.length; i++) {
    const seq = parseSegmentName(unchecked(names[i]));
    if (seq >= 0) seqs.push(<u64>seq);
  }
  seqs.sort((a: u64, b: u64): i32 => (a < b ? -1 : a > b ? 1 : 0));
  return seqs;
}

export class SnapshotSeqs {
  journalSeq: u64 = 0;
  inboundSeq: u64 = 0;
}

/** `<journalSeq 20>-<inboundSeq 20>.snap`, or null for any other name. */
export function parseSnapshotName(name: string): SnapshotSeqs | null {
  if (name.length != 2 * SEQ_DIGITS + 1 + SNAPSHOT_SUFFIX.length || !name.endsWith(SNAPSHOT_SUFFIX))
    return null;
  if (name.charCodeAt(SEQ_DIGITS) != 0x2d) return null;
  const journalSeq = parseSeq(name, 0);
  const inboundSeq = parseSeq(name, SEQ_DIGITS + 1);
  if (journalSeq < 0 || inboundSeq < 0) return null;
  const seqs = new SnapshotSeqs();
  seqs.journalSeq = <u64>journalSeq;
  seqs.inboundSeq = <u64>inboundSeq;
  return seqs;
}
