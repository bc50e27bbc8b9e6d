// The PromQL of the Grafana dashboard (k8s/monitoring/grafana-dashboard.json): every panel target's
// expr, and the metric each `label_values(metric, label)` template variable reads (a Grafana
// function, not PromQL).
export interface DashboardQuery {
  where: string;
  expr: string;
}

interface Dashboard {
  panels?: { title?: string; targets?: { refId?: string; expr?: string }[] }[];
  templating?: { list?: { name?: string; query?: unknown }[] };
}

export function dashboardQueries(json: string): DashboardQuery[] {
  const dashboard = JSON.parse(json) as Dashboard;
  return (dashboard.panels ?? []).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      where: `panel '${panel.title ?? '?'}' target ${target.refId ?? '?'}`,
      expr: target.expr ?? '',
    })),
  );
}

const LABEL_VALUES = /^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)$/;

/** Metric names the template variables read; a query of another shape is a problem. */
export function templateMetrics(json: string): { names: string[]; problems: string[] } {
  const dashboard = JSON.parse(json) as Dashboard;
  const names: string[] = [];
  const problems: string[] = [];
  for (const variable of dashboard.templating?.list ?? []) {
    const query = variable.query;
    if (typeof query === 'string' || query === undefined) continue;
    const text = (query as { query?: string }).query ?? '';
    const match = LABEL_VALUES.exec(text);
    if (match === null)
      problems.push(`variable ${variable.name ?? '?'}: '${text}' is not label_values(metric, label)`);
    else names.push(match[1]!);
  }
  return { names, problems };
}
