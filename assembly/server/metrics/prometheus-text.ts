// The Prometheus text exposition format 0.0.4, the one prom-client serves for the Node service's
// /metrics: `# HELP` and `# TYPE` once per family, then `name{labels} value` lines. Label values
// written here are fixed route templates and outcome words, so they need no escaping.
import { Utf8Writer } from '../../json/utf8-writer';

/** prom-client's Registry.PROMETHEUS_CONTENT_TYPE, so a scraper sees one content type on both paths. */
export const PROMETHEUS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function family(out: Utf8Writer, name: string, type: string, help: string): void {
  out.ascii('# HELP ');
  out.ascii(name);
  out.byte(0x20);
  out.ascii(help);
  out.ascii('\n# TYPE ');
  out.ascii(name);
  out.byte(0x20);
  out.ascii(type);
  out.byte(0x0a);
}

function sampleName(out: Utf8Writer, name: string, labels: string): void {
  out.ascii(name);
  if (labels.length > 0) {
    out.byte(0x7b);
    out.ascii(labels);
    out.byte(0x7d);
  }
  out.byte(0x20);
}

/** `labels` is the text between the braces (`route="/health",status="200"`), empty for none. */
export function sample(out: Utf8Writer, name: string, labels: string, value: u64): void {
  sampleName(out, name, labels);
  out.uint(value);
  out.byte(0x0a);
}

export function floatSample(out: Utf8Writer, name: string, labels: string, value: f64): void {
  sampleName(out, name, labels);
  out.ascii(value.toString());
  out.byte(0x0a);
}

/** A one-sample family without labels. */
export function single(out: Utf8Writer, name: string, type: string, help: string, value: u64): void {
  family(out, name, type, help);
  sample(out, name, '', value);
}

/** Nanoseconds as the seconds Prometheus expects of a `_seconds` metric. */
export function seconds(ns: u64): f64 {
  return <f64>ns / 1e9;
}
