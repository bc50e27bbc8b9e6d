// A Prometheus histogram over nanosecond durations: fixed buckets, cumulative `_bucket` lines with
// `le` in seconds, `_sum` and `_count`. Counting is an index search and two adds: no allocation on
// the request path.
import { Utf8Writer } from '../../json/utf8-writer';
import { floatSample, sample, seconds } from './prometheus-text';

export class Histogram {
  /** Observations per bucket, not cumulative; the last one is +Inf. */
  private readonly counts: StaticArray<u64>;
  private sumNs: u64 = 0;
  private total: u64 = 0;

  /** `boundsNs` ascending; `labels` the same bounds as the `le` text (`"0.005"`). */
  constructor(
    private readonly boundsNs: StaticArray<u64>,
    private readonly labels: StaticArray<string>,
  ) {
    this.counts = new StaticArray<u64>(boundsNs.length + 1);
  }

  observe(ns: u64): void {
    const bounds = this.boundsNs;
    let i = 0;
    const n = bounds.length;
    while (i < n && ns > unchecked(bounds[i])) i++;
    unchecked((this.counts[i] += 1));
    this.sumNs += ns;
    this.total++;
  }

  get count(): u64 {
    return this.total;
  }

  /** The `_bucket`, `_sum` and `_count` lines; `labels` goes before `le` (empty for none). */
  write(out: Utf8Writer, name: string, labels: string): void {
    const prefix = labels.length > 0 ? labels + ',le="' : 'le="';
    let cumulative: u64 = 0;
    for (let i = 0, n = this.boundsNs.length; i < n; i++) {
      cumulative += unchecked(this.counts[i]);
      sample(out, name + '_bucket', prefix + unchecked(this.labels[i]) + '"', cumulative);
    }
    sample(out, name + '_bucket', prefix + '+Inf"', this.total);
    floatSample(out, name + '_sum', labels, seconds(this.sumNs));
    sample(out, name + '_count', labels, this.total);
  }
}
