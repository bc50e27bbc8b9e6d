// The dashboard and the alerting rules of k8s/monitoring use only metric names that a running pod
// really exports: the built Node service (dist/host/main.js) and tracker-server.wasm (AOT, under
// WasmEdge) forwarding to it as a site runs them, scraped on the server's port after some traffic,
// /metrics (the sidecar's, forwarded) and /metrics/server (the server's own).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardQueries, templateMetrics } from '../../../scripts/k8s/monitoring/dashboard-queries.js';
import { renderMonitoring, ruleGroups } from '../../../scripts/k8s/monitoring/monitoring-manifests.js';
import { familyName, parsePromql } from '../../../scripts/k8s/monitoring/promql.js';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { ServiceProcess, tempDataDir, type TempDir } from '../../helpers/service-process.js';
import { ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import { WasmEdgeServer, stopAll } from '../wasmedge-server/support/wasmedge-server.js';
import { REPO_ROOT } from '../../helpers/shared-data.js';

// Series Prometheus itself adds to every scrape target: not the service's to export.
const SCRAPE_SERIES = new Set(['up']);

interface Exported {
  families: Set<string>;
  histograms: Set<string>;
}

let data: TempDir;
let service: ServiceProcess;
let server: WasmEdgeServer;
const exported: Exported = { families: new Set(), histograms: new Set() };

/** Families a text exposition declares (`# TYPE name type`), histograms apart. */
function readExposition(text: string): void {
  for (const match of text.matchAll(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$/gm)) {
    exported.families.add(match[1]!);
    if (match[2] === 'histogram') exported.histograms.add(match[1]!);
  }
}

async function scrape(path: string): Promise<string> {
  const response = await fetch(`${server.baseUrl}${path}`);
  expect(response.status).toBe(200);
  return response.text();
}

beforeAll(async () => {
  const wasmedge = ensureWasmEdge();
  const module = ensureServerAotModule();
  data = tempDataDir('edgetrace-monitoring-');
  service = await ServiceProcess.start({ dataDir: data.dir });
  server = await WasmEdgeServer.start({ runtime: wasmedge, module, sidecarPort: service.port });
  // Traffic through the server: native captures and reads, a forwarded query, an error answer.
  for (let batch = 0; batch < 3; batch++) {
    const document = epcisDocument(
      Array.from({ length: 5 }, (_, i) =>
        objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(`9${batch}${i}`)]),
      ),
    );
    const capture = await fetch(`${server.baseUrl}/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/ld+json' },
      body: JSON.stringify(document),
    });
    await capture.arrayBuffer();
    expect(capture.status).toBe(202);
  }
  for (const path of ['/events', '/health', '/ready', '/no-such-route'])
    await (await fetch(`${server.baseUrl}${path}`)).arrayBuffer();
  readExposition(await scrape('/metrics'));
  readExposition(await scrape('/metrics/server'));
}, 180_000);

afterAll(async () => {
  await stopAll();
  await service?.kill();
  data?.remove();
});

/** Names a query needs that neither exporter declares (histogram suffixes resolved). */
function missing(names: string[], recorded: ReadonlySet<string> = new Set()): string[] {
  return names.filter(
    (name) =>
      !SCRAPE_SERIES.has(name) &&
      !recorded.has(name) &&
      !exported.families.has(familyName(name, exported.histograms)),
  );
}

describe('metric names of k8s/monitoring against a live pod', () => {
  it('scraped both exporters: the Node host and tracker-server.wasm', () => {
    expect(exported.families).toContain('edgetrace_http_requests_total');
    expect(exported.families).toContain('edgetrace_server_requests_total');
    expect(exported.histograms).toContain('edgetrace_server_request_duration_seconds');
  });

  it('uses only exported metrics in every dashboard query and template variable', () => {
    const dashboard = readFileSync(join(REPO_ROOT, 'k8s/monitoring/grafana-dashboard.json'), 'utf8');
    const queries = dashboardQueries(dashboard);
    expect(queries.length).toBeGreaterThan(10);
    for (const query of queries) {
      const parsed = parsePromql(query.expr);
      expect({ query: query.where, errors: parsed.errors }).toEqual({ query: query.where, errors: [] });
      expect(parsed.metricNames.length).toBeGreaterThan(0);
      expect({ query: query.where, missing: missing(parsed.metricNames) }).toEqual({
        query: query.where,
        missing: [],
      });
    }
    expect(missing(templateMetrics(dashboard).names)).toEqual([]);
  });

  it('uses only exported metrics and its own recordings in every rule', () => {
    const rule = renderMonitoring(REPO_ROOT).objects.find((o) => o.kind === 'PrometheusRule')!;
    const rules = ruleGroups(rule).flatMap((group) => group.rules);
    const recorded = new Set(rules.flatMap((r) => (r.record === undefined ? [] : [r.record])));
    for (const entry of rules) {
      const name = entry.alert ?? entry.record;
      expect({ name, missing: missing(parsePromql(entry.expr).metricNames, recorded) }).toEqual({
        name,
        missing: [],
      });
    }
  });

  it('would catch a metric name no exporter has', () => {
    expect(
      missing(['edgetrace_server_requests_total', 'edgetrace_server_request_duration_seconds_bucket']),
    ).toEqual([]);
    expect(missing(['edgetrace_http_request_total', 'edgetrace_server_requests_total_bucket'])).toEqual([
      'edgetrace_http_request_total',
      'edgetrace_server_requests_total_bucket',
    ]);
  });
});
