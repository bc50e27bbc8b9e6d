// Renders a fleet table into an output folder: replaces what an earlier render wrote there, and
// refuses to touch a folder it did not write (a wrong --out must not delete someone's work).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fleetOverlayFiles, GENERATED_MARKER, type ImageDigests } from './fleet-overlays.js';
import { type FleetSite, parseFleetTable } from './fleet-table.js';

export interface WriteFleetOptions {
  table: string;
  out: string;
  /** The repository's k8s/ folder. */
  k8sDir: string;
  /** build/images/digests.json of scripts/build-images.sh; null: keep the placeholder digests. */
  digestsFile: string | null;
}

/** The manifest digests of the two images, from scripts/build-images.sh's digests.json. */
export function readImageDigests(file: string): ImageDigests {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { digest?: unknown } | undefined>;
  const digest = (image: string): string => {
    const value = parsed[image]?.digest;
    if (typeof value !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(value)) {
      throw new Error(`${file} has no sha256 digest for ${image}`);
    }
    return value;
  };
  return { sidecar: digest('edgetrace-sidecar'), trackerServer: digest('edgetrace-tracker-server') };
}

export function writeFleet(options: WriteFleetOptions): FleetSite[] {
  const sites = parseFleetTable(readFileSync(options.table, 'utf8'), options.table);
  const out = resolve(options.out);
  const index = join(out, 'kustomization.yaml');
  if (existsSync(out)) {
    if (existsSync(index) && readFileSync(index, 'utf8').startsWith(GENERATED_MARKER)) {
      rmSync(out, { recursive: true });
    } else if (existsSync(index)) {
      throw new Error(`${out} holds a kustomization render-fleet did not write; choose another --out`);
    }
  }
  const files = fleetOverlayFiles(sites, {
    k8sDir: relative(out, resolve(options.k8sDir)),
    digests: options.digestsFile === null ? null : readImageDigests(options.digestsFile),
  });
  for (const [path, content] of files) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    writeFileSync(join(out, path), content);
  }
  return sites;
}
