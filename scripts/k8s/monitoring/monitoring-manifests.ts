// What npm run k8s:check verifies of k8s/monitoring/: its objects pass the schema and unknown-key
// checks (@kubernetes-models/prometheus-operator), the ServiceMonitor scrapes both exporters, the
// rules pass promtool's check and unit tests, every alert has a test that expects it to fire, and
// every rule and dashboard query parses as PromQL. Which metric names exist is checked against a
// live service and server by tests/integration/deploy/monitoring-metrics.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { CheckContext } from '../check/check-module.js';
import { schemaCheck } from '../check/checks/schema.js';
import { unknownKeysCheck } from '../check/checks/unknown-keys.js';
import type { K8sObject, RenderedTarget } from '../check/k8s-object.js';
import { kustomizeBuild } from '../check/kustomize.js';
import { dashboardQueries, templateMetrics } from './dashboard-queries.js';
import { parsePromql } from './promql.js';
import { ALERT_TESTS, promtoolRules } from './promtool.js';

export interface RuleGroup {
  name: string;
  rules: { record?: string; alert?: string; expr: string }[];
}

export const ruleGroups = (rule: K8sObject): RuleGroup[] => (rule['spec'] as { groups: RuleGroup[] }).groups;

export function renderMonitoring(repoRoot: string): RenderedTarget {
  const dir = join(repoRoot, 'k8s/monitoring');
  return { name: 'monitoring', dir, role: 'cluster', objects: kustomizeBuild(repoRoot, dir) };
}

/** Alert names the promtool tests expect to fire at least once. */
export function testedAlerts(testsYaml: string): Set<string> {
  const tests = (
    parse(testsYaml) as { tests?: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[] }
  ).tests;
  return new Set(
    (tests ?? []).flatMap((test) =>
      (test.alert_rule_test ?? []).filter((t) => (t.exp_alerts ?? []).length > 0).map((t) => t.alertname),
    ),
  );
}

function shapeProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const monitors = objects.filter((o) => o.kind === 'ServiceMonitor');
  const paths = monitors.flatMap((o) =>
    ((o['spec'] as { endpoints?: { port?: string; path?: string }[] }).endpoints ?? []).map(
      (e) => `${e.port}:${e.path}`,
    ),
  );
  for (const wanted of ['http:/metrics', 'http:/metrics/server'])
    if (!paths.includes(wanted)) problems.push(`no ServiceMonitor endpoint scrapes ${wanted}`);
  if (objects.filter((o) => o.kind === 'PrometheusRule').length !== 1)
    problems.push('expected one PrometheusRule');
  if (!objects.some((o) => o.kind === 'ConfigMap' && o.metadata.labels?.['grafana_dashboard'] === '1'))
    problems.push('no ConfigMap labelled grafana_dashboard: "1" provisions the dashboard');
  return problems;
}

export async function monitoringManifestProblems(
  context: CheckContext,
): Promise<{ objects: number; problems: string[] }> {
  const root = context.repoRoot;
  const target = renderMonitoring(root);
  const problems: string[] = [];
  for (const check of [schemaCheck, unknownKeysCheck])
    problems.push(...(await check.check(target, context)).map((p) => `[${check.name}] ${p}`));
  problems.push(...shapeProblems(target.objects));
  const rule = target.objects.find((o) => o.kind === 'PrometheusRule');
  if (rule !== undefined) {
    const groups = ruleGroups(rule);
    for (const run of promtoolRules(root, groups)) if (!run.ok) problems.push(run.output);
    const tested = testedAlerts(readFileSync(join(root, ALERT_TESTS), 'utf8'));
    for (const group of groups) {
      for (const entry of group.rules) {
        const name = entry.alert ?? entry.record ?? '?';
        for (const error of parsePromql(entry.expr).errors) problems.push(`rule ${name}: ${error}`);
        if (entry.alert !== undefined && !tested.has(entry.alert))
          problems.push(`alert ${entry.alert}: no test in ${ALERT_TESTS} expects it to fire`);
      }
    }
  }
  const dashboard = readFileSync(join(root, 'k8s/monitoring/grafana-dashboard.json'), 'utf8');
  for (const query of dashboardQueries(dashboard))
    for (const error of parsePromql(query.expr).errors) problems.push(`dashboard ${query.where}: ${error}`);
  problems.push(...templateMetrics(dashboard).problems.map((p) => `dashboard ${p}`));
  return { objects: target.objects.length, problems };
}
