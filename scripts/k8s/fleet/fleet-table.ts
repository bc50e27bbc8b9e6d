// The fleet table (k8s/fleet/sites.csv): one row per site, `site_id,glns,node_label,runtime`.
// Every row is checked here, with its line number, so a typo in row 173 of 200 stops the render
// instead of shipping a site that cannot start or routes events to the wrong plant.

export type SiteRuntime = 'wasmedge' | 'crun-wasmedge';

export interface FleetSite {
  /** SITE_ID of the site and the suffix of its namespace (edgetrace-<siteId>). */
  siteId: string;
  /** 13-digit GLNs of the site's locations: SITE_ROUTES sends events addressed to them here. */
  glns: string[];
  /** The node label (key=value) of the site's edge nodes, added to the pod's nodeSelector. */
  nodeLabel: { key: string; value: string };
  runtime: SiteRuntime;
  line: number;
}

export class FleetTableError extends Error {
  constructor(source: string, line: number, message: string) {
    super(`${source}:${line}: ${message}`);
    this.name = 'FleetTableError';
  }
}

const HEADER = ['site_id', 'glns', 'node_label', 'runtime'];
// A DNS label (the namespace edgetrace-<id> has at most 63 characters) and a valid SITE_ID
// (host/config/parse-value.ts parseSiteId), which is the stricter of the two here.
const SITE_ID = /^[a-z0-9](?:[a-z0-9-]{0,51}[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;

/** GS1 mod-10 check digit of a GLN (GS1 General Specifications 7.9.1). */
export function glnCheckDigitValid(gln: string): boolean {
  if (!/^\d{13}$/.test(gln)) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(gln[i]) * (i % 2 === 0 ? 1 : 3);
  return (10 - (sum % 10)) % 10 === Number(gln[12]);
}

function parseLabel(text: string): { key: string; value: string } | null {
  const eq = text.indexOf('=');
  if (eq < 0) return null;
  const key = text.slice(0, eq);
  const value = text.slice(eq + 1);
  const slash = key.lastIndexOf('/');
  const prefixOk = slash < 0 || DNS_SUBDOMAIN.test(key.slice(0, slash));
  const nameOk = LABEL_NAME.test(slash < 0 ? key : key.slice(slash + 1));
  const valueOk = value === '' || LABEL_NAME.test(value);
  return prefixOk && nameOk && valueOk ? { key, value } : null;
}

export function parseFleetTable(text: string, source: string): FleetSite[] {
  const sites: FleetSite[] = [];
  const siteLines = new Map<string, number>();
  const glnSites = new Map<string, string>();
  let header: string[] | null = null;
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = index + 1;
    const raw = lines[index]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const cells = raw.split(',').map((cell) => cell.trim());
    if (header === null) {
      if (cells.join(',') !== HEADER.join(',')) {
        throw new FleetTableError(source, line, `the header must be ${HEADER.join(',')}`);
      }
      header = cells;
      continue;
    }
    if (cells.length !== HEADER.length) {
      throw new FleetTableError(source, line, `expected ${HEADER.length} cells, found ${cells.length}`);
    }
    const [siteId, glnCell, labelCell, runtimeCell] = cells as [string, string, string, string];
    if (!SITE_ID.test(siteId)) {
      throw new FleetTableError(
        source,
        line,
        `site id "${siteId}" must be 1-53 lowercase letters, digits or - (it names the namespace edgetrace-<id>)`,
      );
    }
    const earlier = siteLines.get(siteId);
    if (earlier !== undefined)
      throw new FleetTableError(source, line, `site ${siteId} is already on line ${earlier}`);
    siteLines.set(siteId, line);
    const glns = glnCell.split(/\s+/).filter((gln) => gln !== '');
    if (glns.length === 0) throw new FleetTableError(source, line, `site ${siteId} has no GLN`);
    for (const gln of glns) {
      if (!glnCheckDigitValid(gln)) {
        throw new FleetTableError(source, line, `"${gln}" is not a 13-digit GLN with a valid check digit`);
      }
      const owner = glnSites.get(gln);
      if (owner !== undefined)
        throw new FleetTableError(source, line, `GLN ${gln} is already routed to ${owner}`);
      glnSites.set(gln, siteId);
    }
    const nodeLabel = parseLabel(labelCell);
    if (nodeLabel === null) {
      throw new FleetTableError(
        source,
        line,
        `node label "${labelCell}" is not a Kubernetes label key=value`,
      );
    }
    const runtime = runtimeCell === '' ? 'wasmedge' : runtimeCell;
    if (runtime !== 'wasmedge' && runtime !== 'crun-wasmedge') {
      throw new FleetTableError(
        source,
        line,
        `runtime "${runtimeCell}" must be wasmedge or crun-wasmedge (or empty)`,
      );
    }
    sites.push({ siteId, glns, nodeLabel, runtime, line });
  }
  if (header === null) throw new FleetTableError(source, 1, `no header (${HEADER.join(',')})`);
  return sites;
}
