// Decodes the rows of the core's batch lookup (assembly/abi/lookups.ts writeStates) into
// BriefStates. Rows index into a table of the distinct strings of the batch, which repeat a lot.
import type { BriefState, TransitView } from './types.js';

/**
 * [bizLocation, readPoint, disposition, decommissioned 0|1] and, for an EPC in transit,
 * [..., sinceMs, fromBizLocation, fromReadPoint, via]; strings as indexes into `values`, -1 for null.
 */
export type BriefRow =
  [number, number, number, number] | [number, number, number, number, number, number, number, number];

/**
 * One batch's states, in row order. The EPCs of one shipment share one transit (a recall of a
 * pallet's 10,000 items has one): it is made once per batch and shared, which spares a Date and
 * an ISO string per item (toISOString alone took about 3 µs a call on a loaded machine).
 */
export function decodeBriefStates(
  rows: readonly (BriefRow | null)[],
  values: readonly string[],
): (BriefState | null)[] {
  const text = (index: number): string | null => values[index] ?? null;
  const transits = new Map<string, TransitView>();
  const transitOf = (row: BriefRow): TransitView | null => {
    if (row.length === 4) return null;
    const key = `${row[4]} ${row[5]} ${row[6]} ${row[7]}`;
    let transit = transits.get(key);
    if (transit === undefined) {
      transit = {
        since: new Date(row[4]).toISOString(),
        from: { bizLocation: text(row[5]), readPoint: text(row[6]) },
        via: text(row[7]),
      };
      transits.set(key, transit);
    }
    return transit;
  };
  return rows.map((row) =>
    row === null
      ? null
      : {
          bizLocation: text(row[0]),
          readPoint: text(row[1]),
          disposition: text(row[2]),
          decommissioned: row[3] === 1,
          inTransit: transitOf(row),
        },
  );
}
