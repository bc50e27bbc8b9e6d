// k8s/monitoring as a Prometheus Operator stack would load it: schema-valid objects, rules that
// promtool checks and unit-tests (each alert firing on a bad series, quiet on a healthy one),
// PromQL that parses, and memory limits in the rules that match the rendered pods.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckContext } from '../../../scripts/k8s/check/check-module.js';
import { unknownKeysCheck } from '../../../scripts/k8s/check/checks/unknown-keys.js';
import { workloads } from '../../../scripts/k8s/check/pod-spec.js';
import { OVERLAY_TARGETS, render } from '../../../scripts/k8s/check/targets.js';
import {
  monitoringManifestProblems,
  renderMonitoring,
  ruleGroups,
  testedAlerts,
} from '../../../scripts/k8s/monitoring/monitoring-manifests.js';
import { parsePromql } from '../../../scripts/k8s/monitoring/promql.js';
import { ALERT_TESTS, promtoolRules } from '../../../scripts/k8s/monitoring/promtool.js';
import { REPO_ROOT } from '../../helpers/shared-data.js';

const context: CheckContext = { repoRoot: REPO_ROOT, builtDigests: new Set() };
const ALERTS = [
  'EdgetraceDown',
  'EdgetraceErrorRatioHigh',
  'EdgetraceLatencyObjectiveMissed',
  'EdgetraceOutboxBacklog',
  'EdgetraceOutboxStuck',
  'EdgetraceBrokerDisconnected',
  'EdgetraceSyncLagHigh',
  'EdgetraceWasmTraps',
  'EdgetraceSqliteBusy',
  'EdgetraceEventLoopLag',
  'EdgetraceRestarting',
  'EdgetraceMemoryNearLimit',
];

const groups = () =>
  ruleGroups(renderMonitoring(REPO_ROOT).objects.find((o) => o.kind === 'PrometheusRule')!);
const rulesOf = () => groups().flatMap((group) => group.rules);

describe('k8s/monitoring', () => {
  it('passes npm run k8s:check: schema, unknown keys, promtool check and test rules, PromQL', async () => {
    expect(await monitoringManifestProblems(context)).toEqual({ objects: 3, problems: [] });
  });

  it('alerts on every condition of issue 11, each expected to fire by a promtool test', () => {
    expect(rulesOf().flatMap((rule) => (rule.alert === undefined ? [] : [rule.alert]))).toEqual(ALERTS);
    expect([...testedAlerts(readFileSync(join(REPO_ROOT, ALERT_TESTS), 'utf8'))].sort()).toEqual(
      [...ALERTS].sort(),
    );
  });

  it('has promtool tests that fail for every alert when no alert can fire', () => {
    const silenced = groups().map((group) => ({
      ...group,
      rules: group.rules.map((rule) =>
        rule.alert === undefined ? rule : { ...rule, expr: 'vector(1) == 0' },
      ),
    }));
    const [check, test] = promtoolRules(REPO_ROOT, silenced);
    expect(check!.ok).toBe(true);
    expect(test!.ok).toBe(false);
    for (const alert of ALERTS) expect(test!.output).toContain(`alertname: ${alert}`);
  });

  it('has promtool tests that fail when an alert fires for healthy series too', () => {
    // Without its threshold each alert also fires for the healthy namespace of its test.
    const loosened = groups().map((group) => ({
      ...group,
      rules: group.rules.map((rule) =>
        rule.alert === 'EdgetraceOutboxBacklog' ? { ...rule, expr: 'edgetrace_sync_outbox_depth > 0' } : rule,
      ),
    }));
    const [, test] = promtoolRules(REPO_ROOT, loosened);
    expect(test!.ok).toBe(false);
    expect(test!.output).toContain('alertname: EdgetraceOutboxBacklog');
  });

  it('scrapes /metrics and /metrics/server on the Service port http', () => {
    const monitor = renderMonitoring(REPO_ROOT).objects.find((o) => o.kind === 'ServiceMonitor')!;
    const endpoints = (monitor['spec'] as { endpoints: { port: string; path: string }[] }).endpoints;
    expect(endpoints.map((e) => [e.port, e.path])).toEqual([
      ['http', '/metrics'],
      ['http', '/metrics/server'],
    ]);
    const base = render(REPO_ROOT, OVERLAY_TARGETS(REPO_ROOT)[0]!);
    const service = base.objects.find((o) => o.kind === 'Service')!;
    expect((service['spec'] as { ports: { name: string; port: number }[] }).ports).toContainEqual(
      expect.objectContaining({ name: 'http', port: 8080 }),
    );
  });

  it('refuses a misspelt ServiceMonitor field the schema lets through', async () => {
    const target = renderMonitoring(REPO_ROOT);
    const monitor = target.objects.find((o) => o.kind === 'ServiceMonitor')!;
    (monitor['spec'] as { endpoints: Record<string, unknown>[] }).endpoints[0]!['scrapeIntervall'] = '30s';
    expect(await unknownKeysCheck.check(target, context)).toEqual([
      'ServiceMonitor/monitoring/edgetrace.spec.endpoints[0].scrapeIntervall: unknown field',
    ]);
  });

  it('finds a PromQL syntax error and the metric names of a query', () => {
    expect(parsePromql('sum(rate(edgetrace_http_requests_total[5m])').errors).not.toEqual([]);
    expect(
      parsePromql('sum by (le) (rate(a_bucket{x="1"}[5m])) / on() group_left b offset 5m').metricNames,
    ).toEqual(['a_bucket', 'b']);
  });

  it('divides memory by the limits the rendered site and hub pods set', () => {
    const bytes = (quantity: string) => {
      const [, amount, unit] = /^(\d+)(Mi|Gi)$/.exec(quantity) ?? [];
      return Number(amount) * (unit === 'Gi' ? 2 ** 30 : 2 ** 20);
    };
    const limits = (name: string) =>
      Object.fromEntries(
        workloads(
          render(
            REPO_ROOT,
            OVERLAY_TARGETS(REPO_ROOT).find((t) => t.name === name)!,
          ).objects,
        )[0]!.pod.containers.map((c) => [c.name, bytes(c.resources!.limits!['memory']!)]),
      );
    const site = limits('overlays/site');
    const hub = limits('overlays/hub');
    const expr = rulesOf().find((rule) => rule.record === 'edgetrace:memory_limit_usage:ratio')!.expr;
    expect(expr).toContain(
      `edgetrace_process_resident_memory_bytes{namespace!="edgetrace-hub"} / ${site['sidecar']}`,
    );
    expect(expr).toContain(
      `edgetrace_process_resident_memory_bytes{namespace="edgetrace-hub"} / ${hub['hub']}`,
    );
    expect(expr).toContain(`edgetrace_server_wasm_memory_bytes / ${site['tracker-server']}`);
  });
});
