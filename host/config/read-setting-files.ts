// Reads a folder of setting files, the form a Kubernetes ConfigMap takes when it is mounted as a
// volume: one file per key, named after the key, holding its value. In the edge pod this is how the
// sidecar gets its settings: under runwasi (containerd-shim-wasmedge >= 0.5) the pod's `env:` does
// not reach the native container, but its volumes and args do.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface SettingFile {
  /** The file's name: a setting's environment name, e.g. sync_enabled or SITE_ID. */
  name: string;
  /** Its content without the one line ending editors and `kubectl create --from-file` leave. */
  text: string;
}

// A ConfigMap value is at most 1 MiB; anything larger in this folder is not a setting.
const MAX_SETTING_BYTES = 1 << 20;

/**
 * The setting files in `dir`, by name. Entries starting with a dot are skipped: a mounted ConfigMap
 * holds its real files in `..data/` and `..<timestamp>/`, and each key is a symlink into them
 * (followed here). Folders are skipped for the same reason. Throws the file system's error.
 */
export function readSettingFiles(dir: string): SettingFile[] {
  const files: SettingFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name);
    const stat = statSync(path);
    if (!stat.isFile()) continue;
    if (stat.size > MAX_SETTING_BYTES) throw new Error(`${path} is larger than a setting can be (1 MiB)`);
    files.push({ name, text: readFileSync(path, 'utf8').replace(/\r?\n$/, '') });
  }
  return files;
}
