// scripts/build-images.sh: both images built twice from the same inputs have the same digests, and
// what is inside them runs: the wasm image's module serves /health as AOT native code under the
// LLVM-free WasmEdge, and the sidecar image's rootfs runs the Node host as uid 10001 (chroot: root).
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/shared-data.js';
import { ensureLlvmFreeWasmEdge, SERVER_WASM } from '../../helpers/wasmedge.js';
import {
  freePort,
  hasAnonymousExecutableMapping,
  stopAll,
  WasmEdgeServer,
} from '../wasmedge-server/support/wasmedge-server.js';

interface Descriptor {
  digest: string;
  mediaType: string;
  annotations?: Record<string, string>;
}
interface Manifest {
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}
interface ImageConfig {
  architecture: string;
  os: string;
  created: string;
  config: { Entrypoint?: string[]; User?: string; Labels?: Record<string, string>; Cmd?: string[] };
}

const work = mkdtempSync(join(tmpdir(), 'edgetrace-images-test-'));
const children: { kill(signal: NodeJS.Signals): boolean; exitCode: number | null }[] = [];

afterEach(async () => {
  await stopAll();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const blob = (layout: string, digest: string) => join(layout, 'blobs', digest.replace(':', '/'));
const json = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

function image(out: string, name: string): { layout: string; manifest: Manifest; config: ImageConfig } {
  const layout = join(out, name);
  const index = json<{ manifests: Descriptor[] }>(join(layout, 'index.json'));
  const manifest = json<Manifest>(blob(layout, index.manifests[0]!.digest));
  return { layout, manifest, config: json<ImageConfig>(blob(layout, manifest.config.digest)) };
}

function unpack(layout: string, manifest: Manifest, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const layer of manifest.layers) execFileSync('tar', ['-xf', blob(layout, layer.digest), '-C', dir]);
}

function build(out: string, inputs: string): void {
  execFileSync(
    'bash',
    [
      join(REPO_ROOT, 'scripts/build-images.sh'),
      ...['--out', out, '--dist', join(inputs, 'dist'), '--core-wasm', join(inputs, 'tracker.wasm')],
      ...['--server-wasm', join(inputs, 'tracker-server.wasm'), '--ui', join(inputs, 'ui')],
    ],
    {
      env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' },
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 600_000,
    },
  );
}

describe('scripts/build-images.sh', () => {
  const first = join(work, 'first');
  const second = join(work, 'second');

  // The inputs are copied first: other work in this checkout may rebuild dist/ or build/ meanwhile,
  // and the digests must differ only if the inputs do.
  beforeAll(() => {
    const inputs = join(work, 'inputs');
    cpSync(join(REPO_ROOT, 'dist/host'), join(inputs, 'dist/host'), { recursive: true });
    cpSync(join(REPO_ROOT, 'build/tracker.wasm'), join(inputs, 'tracker.wasm'));
    cpSync(join(REPO_ROOT, 'build/ui'), join(inputs, 'ui'), { recursive: true });
    cpSync(SERVER_WASM, join(inputs, 'tracker-server.wasm'));
    build(first, inputs);
    build(second, inputs);
  }, 1_200_000);

  it('builds the same image digests and archives twice from the same inputs', () => {
    const digests = readFileSync(join(first, 'digests.json'), 'utf8');
    expect(readFileSync(join(second, 'digests.json'), 'utf8')).toBe(digests);
    expect(Object.keys(JSON.parse(digests) as object)).toEqual([
      'edgetrace-sidecar',
      'edgetrace-tracker-server',
    ]);
    for (const name of ['edgetrace-sidecar.oci.tar', 'edgetrace-tracker-server.oci.tar']) {
      expect(readFileSync(join(second, name)).equals(readFileSync(join(first, name)))).toBe(true);
    }
  });

  it('makes the wasm image scratch + /tracker-server.wasm for linux/amd64 with the compat-smart annotation', () => {
    const { layout, manifest, config } = image(first, 'edgetrace-tracker-server');
    expect(manifest.annotations?.['module.wasm.image/variant']).toBe('compat-smart');
    expect(config).toMatchObject({ architecture: 'amd64', os: 'linux', created: '2023-11-14T22:13:20Z' });
    expect(config.config.Entrypoint).toEqual(['/tracker-server.wasm']);
    expect(config.config.Labels?.['org.opencontainers.image.title']).toBe('edgetrace-tracker-server');
    const root = join(work, 'wasm-rootfs');
    unpack(layout, manifest, root);
    expect(readdirSync(root)).toEqual(['tracker-server.wasm']);
  });

  it('ships an AOT module that the LLVM-free WasmEdge runs natively (no silent interpreter fallback)', async () => {
    const root = join(work, 'wasm-rootfs');
    const server = await WasmEdgeServer.start({
      runtime: ensureLlvmFreeWasmEdge(),
      module: join(root, 'tracker-server.wasm'),
    });
    const health = await fetch(`${server.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(hasAnonymousExecutableMapping(server.pid)).toBe(true);
  });

  it('makes the sidecar image non-root (10001), root-owned, labelled, and its rootfs runs the Node host', async () => {
    const { layout, manifest, config } = image(first, 'edgetrace-sidecar');
    expect(config.config.User).toBe('10001:10001');
    expect(config.config.Entrypoint).toEqual(['/usr/local/bin/node', '/app/dist/host/main.js']);
    expect(config.config.Labels).toMatchObject({
      'org.opencontainers.image.title': 'edgetrace-sidecar',
      'org.opencontainers.image.licenses': 'Apache-2.0',
    });
    const owners = manifest.layers.flatMap((layer) =>
      execFileSync('tar', ['--numeric-owner', '-tvf', blob(layout, layer.digest)], {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      })
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split(/\s+/)[1]),
    );
    expect(new Set(owners)).toEqual(new Set(['0/0']));
    const root = join(work, 'sidecar-rootfs');
    unpack(layout, manifest, root);
    const port = await freePort();
    const child = spawn(
      'chroot',
      [
        '--userspec=10001:10001',
        root,
        ...config.config.Entrypoint!,
        '--port',
        String(port),
        '--data-dir',
        '/tmp/data',
        '--journal-tail',
        'true',
      ],
      // The image's environment (and a PATH to find chroot), not this process's: its EDGETRACE_* would be refused.
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin', NODE_ENV: 'production' },
      },
    );
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => (stderr += error.message));
    let status = 0;
    for (let attempt = 0; attempt < 300 && status !== 200 && child.exitCode === null; attempt++) {
      status = await fetch(`http://127.0.0.1:${port}/health`).then(
        (response) => response.status,
        () => 0,
      );
      if (status !== 200) await new Promise((done) => setTimeout(done, 100));
    }
    expect(status, stderr).toBe(200);
  });
});
