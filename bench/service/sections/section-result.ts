import type { BenchRow } from '../../lib/report.js';

/** What each section of the service benchmark adds to the table and to the JSON notes. */
export interface SectionResult {
  rows: BenchRow[];
  notes: Record<string, unknown>;
}
