// Turns the wasm image (scripts/build-images.sh: an OCI image layout) into an OCI runtime bundle as
// containerd would for the pod's tracker-server container: rootfs = the image's layers, config.json
// with the image's entrypoint + the container's args, the image's annotations (crun's WasmEdge handler
// runs the module only when `module.wasm.image/variant` is `compat-smart`), the pod's securityContext
// (uid 10001, no capabilities, read-only root) and the data volume bind-mounted at /data. No network
// namespace: the container shares the host's, so a test reaches it on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Descriptor {
  digest: string;
}
interface ImageManifest {
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}
interface ImageConfig {
  config: { Entrypoint?: string[]; Cmd?: string[] | null };
}

export interface WasmImage {
  layout: string;
  layers: string[];
  entrypoint: string[];
  annotations: Record<string, string>;
}

/** The pod's runAsUser/runAsGroup (k8s/base/statefulset.yaml). */
export const CONTAINER_UID = 10001;

const blob = (layout: string, digest: string): string => join(layout, 'blobs', ...digest.split(':'));
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** The first (only) manifest of the OCI layout at `layout`. */
export function readWasmImage(layout: string): WasmImage {
  const index = readJson<{ manifests: Descriptor[] }>(join(layout, 'index.json'));
  const first = index.manifests[0];
  if (first === undefined) throw new Error(`${layout}/index.json lists no manifest`);
  const manifest = readJson<ImageManifest>(blob(layout, first.digest));
  const { config } = readJson<ImageConfig>(blob(layout, manifest.config.digest));
  return {
    layout,
    layers: manifest.layers.map((layer) => blob(layout, layer.digest)),
    entrypoint: [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])],
    annotations: manifest.annotations ?? {},
  };
}

/** The bytes of `path` inside the image's layers (later layers win), or null when absent. */
export function imageFile(image: WasmImage, path: string): Buffer | null {
  let found: Buffer | null = null;
  for (const layer of image.layers) {
    const listing = execFileSync('tar', ['-tf', layer], { encoding: 'utf8' }).split('\n');
    const member = listing.find((name) => name.replace(/^\.?\//, '') === path.replace(/^\//, ''));
    if (member !== undefined) {
      found = execFileSync('tar', ['-xOf', layer, member], { maxBuffer: 256 << 20 });
    }
  }
  return found;
}

export interface BundleOptions {
  /** Host directory bind-mounted read-write at /data (the pod's data volume); owned by CONTAINER_UID. */
  dataDir: string;
  /** The container's args, after the image's entrypoint (the pod's `args:`). */
  args: string[];
  /**
   * A PID namespace of its own (default), where the module's process is PID 1 and the kernel drops
   * every signal it has no handler for (WasmEdge installs none: SIGTERM is ignored, only SIGKILL
   * ends it). false shares the caller's, as a pod with `shareProcessNamespace: true` gives its
   * containers one whose PID 1 is the pause process: then SIGTERM's default action ends it.
   */
  ownPidNamespace?: boolean;
}

/** Unpacks `image` into `bundleDir`/rootfs and writes `bundleDir`/config.json. */
export function writeBundle(image: WasmImage, bundleDir: string, options: BundleOptions): void {
  const rootfs = join(bundleDir, 'rootfs');
  mkdirSync(rootfs, { recursive: true });
  for (const layer of image.layers) execFileSync('tar', ['-xf', layer, '-C', rootfs]);
  // Mount points must exist before crun makes the root read-only.
  for (const dir of ['proc', 'dev', 'data']) mkdirSync(join(rootfs, dir), { recursive: true });
  const config = {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: CONTAINER_UID, gid: CONTAINER_UID },
      args: [...image.entrypoint, ...options.args],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      cwd: '/',
      capabilities: { bounding: [], effective: [], permitted: [] },
      noNewPrivileges: true,
    },
    root: { path: 'rootfs', readonly: true },
    hostname: 'tracker-server',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'mode=755', 'size=65536k'] },
      { destination: '/data', type: 'bind', source: options.dataDir, options: ['rbind', 'rw'] },
    ],
    linux: {
      namespaces: [
        ...(options.ownPidNamespace === false ? [] : [{ type: 'pid' }]),
        { type: 'ipc' },
        { type: 'uts' },
        { type: 'mount' },
      ],
      maskedPaths: ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/sys/firmware'],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
    annotations: image.annotations,
  };
  writeFileSync(join(bundleDir, 'config.json'), JSON.stringify(config, null, 1));
}
