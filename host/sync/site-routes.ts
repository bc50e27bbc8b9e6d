// Which sites an event is addressed to: SITE_ROUTES maps GLNs (as a bare 13-digit GLN, an SGLN or
// PGLN URN, or a GS1 Digital Link) to site ids. Keys are canonicalised through the core, exactly as
// capture canonicalised the event's destinations and bizLocation, so any form matches any other.
// A GLN key also matches its sub-locations (SGLN extensions, /254/…) and the party GLN (417) with
// the same digits, since all of them name the same place or its owner.
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config/load-config.js';
import type { TrackerCore } from '../core/gateway.js';
import { isRefusedIdentifier, type TypedValue } from '../core/types.js';

const GS1_GLN = /^https:\/\/id\.gs1\.org\/(?:414|417)\/(\d{13})(\/254\/.+)?$/;
const BARE_GLN = /^\d{13}$/;
/** Destination types that name a place or its owner (CBV 2.0 SDT location and owning_party). */
const ADDRESSING_TYPE = /(?:^|[:/-])(?:location|owning_party)$/;

/** The lookup key of a canonical identifier: GLN digits (+ extension) for GS1 locations and parties. */
function routeKey(canonical: string): { exact: string; gln: string | null } {
  const match = GS1_GLN.exec(canonical);
  if (match === null) return { exact: canonical, gln: null };
  const gln = `gln:${match[1]!}`;
  return { exact: match[2] === undefined ? gln : `${gln}${match[2]}`, gln };
}

export interface RoutedEvent {
  originSite: string;
  bizLocation: string | null;
  destinations: readonly TypedValue[];
}

export class SiteRoutes {
  private constructor(private readonly table: ReadonlyMap<string, string>) {}

  static empty(): SiteRoutes {
    return new SiteRoutes(new Map());
  }

  /** Builds the table from {"<identifier>": "<site id>"}; refuses identifiers the core refuses. */
  static fromObject(entries: Record<string, unknown>, core: TrackerCore, source: string): SiteRoutes {
    const table = new Map<string, string>();
    for (const [identifier, siteId] of Object.entries(entries)) {
      if (typeof siteId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(siteId)) {
        throw new ConfigError(
          `${source}: the site of "${identifier}" must be a site id (letters, digits, - or _)`,
        );
      }
      const text = BARE_GLN.test(identifier.trim())
        ? `https://id.gs1.org/414/${identifier.trim()}`
        : identifier.trim();
      const canonical = core.canonical(text);
      if (isRefusedIdentifier(canonical)) {
        throw new ConfigError(`${source}: "${identifier}" is not a valid identifier (${canonical.reason})`);
      }
      table.set(routeKey(canonical.value).exact, siteId);
    }
    return new SiteRoutes(table);
  }

  static fromFile(path: string, core: TrackerCore): SiteRoutes {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError(`SITE_ROUTES names ${path}, which is not a readable JSON file (${reason})`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ConfigError(`SITE_ROUTES (${path}) must hold a JSON object {"<GLN>": "<site id>"}`);
    }
    return SiteRoutes.fromObject(parsed as Record<string, unknown>, core, `SITE_ROUTES (${path})`);
  }

  /** Every site named in the table. */
  sites(): string[] {
    return [...new Set(this.table.values())];
  }

  private siteOf(canonical: string): string | undefined {
    const key = routeKey(canonical);
    return this.table.get(key.exact) ?? (key.gln === null ? undefined : this.table.get(key.gln));
  }

  /** The sites an event is addressed to, never its own origin. */
  sitesFor(event: RoutedEvent): string[] {
    // Without SITE_ROUTES nothing is addressed: skip matching identifiers (asked for every event).
    if (this.table.size === 0) return [];
    const sites = new Set<string>();
    const add = (identifier: string | null) => {
      const site = identifier === null ? undefined : this.siteOf(identifier);
      if (site !== undefined && site !== event.originSite) sites.add(site);
    };
    add(event.bizLocation);
    for (const [type, value] of event.destinations) {
      if (type !== null && ADDRESSING_TYPE.test(type)) add(value);
    }
    return [...sites];
  }
}
