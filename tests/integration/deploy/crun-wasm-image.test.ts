// The wasm image as a K3s node's `crun-wasmedge` runtime runs it: Debian trixie's crun (+WASM:wasmedge,
// libwasmedge0) given an OCI bundle made from the image (compat-smart annotation, the pod's args,
// uid 10001, read-only root, the data volume at /data), as root. It must serve /health and captures
// on :<port> with the AOT code mapped, stop on crun kill TERM, and leave nothing behind. The time from
// `crun run` to the first 200 is recorded as an annotation, not asserted (bench:crun measures it).
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CrunContainer, type CrunOptions, listContainers } from '../../../scripts/crun/crun-container.js';
import { ensureWasmImage } from '../../../scripts/crun/ensure-wasm-image.js';
import { msToFirstHealth } from '../../../scripts/crun/first-health.js';
import { CONTAINER_UID, type WasmImage, writeBundle } from '../../../scripts/crun/wasm-image-bundle.js';
import { epcisDocument, objectEvent, sgtin } from '../../helpers/epcis-builders.js';
import { REPO_ROOT } from '../../helpers/shared-data.js';
import { SERVER_WASM } from '../../helpers/wasmedge.js';
import { freePort, hasAnonymousExecutableMapping } from '../wasmedge-server/support/wasmedge-server.js';

const work = mkdtempSync(join(tmpdir(), 'edgetrace-crun-test-'));
const containers: CrunContainer[] = [];
let image: WasmImage;
let options: CrunOptions;

beforeAll(() => {
  const crun = execFileSync('bash', [join(REPO_ROOT, 'scripts/ensure-crun.sh'), '--print-path'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  options = { crun, stateDir: join(work, 'crun-state') };
  image = ensureWasmImage(REPO_ROOT, SERVER_WASM);
}, 900_000);

afterEach(async () => {
  for (const container of containers.splice(0)) {
    container.remove();
    await container.exited;
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A fresh bundle of the image with the pod's args on free ports and an empty data volume. */
async function bundle(
  name: string,
  ownPidNamespace = true,
): Promise<{ bundleDir: string; dataDir: string; port: number }> {
  const [port, sidecarPort] = [await freePort(), await freePort()];
  const dataDir = join(work, `${name}-data`);
  mkdirSync(dataDir);
  chownSync(dataDir, CONTAINER_UID, CONTAINER_UID);
  const bundleDir = join(work, `${name}-bundle`);
  writeBundle(image, bundleDir, {
    dataDir,
    args: ['--port', String(port), '--data-dir', '/data', '--sidecar-port', String(sidecarPort)],
    ownPidNamespace,
  });
  return { bundleDir, dataDir, port };
}

function mappedFiles(pid: number): string {
  return readFileSync(`/proc/${pid}/maps`, 'utf8');
}

describe('the wasm image under crun (compat-smart, WasmEdge handler)', () => {
  it('serves /health and takes a capture on its --port with the AOT code mapped', async ({ annotate }) => {
    const { bundleDir, dataDir, port } = await bundle('serve');
    const container = new CrunContainer(options, 'edgetrace-serve', bundleDir);
    containers.push(container);
    const ms = await msToFirstHealth(port, container.startedAt, 60_000, () => !container.running);
    expect(ms, container.output).not.toBeNull();
    const timing = `crun run → first GET /health 200: ${ms?.toFixed(0)} ms`;
    console.log(timing);
    await annotate(timing);

    const event = objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(1)]);
    const response = await fetch(`http://127.0.0.1:${port}/capture`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        epcisDocument([{ ...event, eventID: 'urn:uuid:00000000-0000-4000-8000-000000000001' }]),
      ),
    });
    expect(response.status).toBe(202);
    // The journal is on the bind-mounted volume, i.e. the server used /data below the preopened `/`.
    expect(readdirSync(join(dataDir, 'journal')).length).toBeGreaterThan(0);

    const pid = container.pid();
    expect(pid).not.toBeNull();
    expect(hasAnonymousExecutableMapping(pid!), 'no anonymous r-xp mapping: the interpreter runs').toBe(true);
    expect(mappedFiles(pid!)).toMatch(/libwasmedge\.so/);
  });

  /** Starts a container of a fresh bundle and waits for its first 200. */
  async function serving(
    name: string,
    ownPidNamespace: boolean,
  ): Promise<{ container: CrunContainer; port: number }> {
    const { bundleDir, port } = await bundle(name, ownPidNamespace);
    const container = new CrunContainer(options, `edgetrace-${name}`, bundleDir);
    containers.push(container);
    expect(await msToFirstHealth(port, container.startedAt, 60_000, () => !container.running)).not.toBeNull();
    return { container, port };
  }

  const exitWithin = (container: CrunContainer, ms: number) =>
    Promise.race([container.exited, new Promise<null>((done) => setTimeout(() => done(null), ms))]);

  /** crun delete, then: no process of the container and no container in crun's state. */
  function expectNothingLeft(container: CrunContainer, pid: number): void {
    container.remove();
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    expect(listContainers(options)).toEqual([]);
  }

  it('stops on crun kill TERM when it is not PID 1 (a pod sharing its process namespace)', async () => {
    const { container } = await serving('shared-pid', false);
    const pid = container.pid()!;
    container.kill('TERM');
    expect(await exitWithin(container, 10_000), container.output).not.toBeNull();
    expectNothingLeft(container, pid);
  });

  // The kernel drops signals a PID namespace's init has no handler for, and WasmEdge installs none:
  // in a pod with its own PID namespace per container (the default) the kubelet's TERM does nothing
  // and the pod stops only at its KILL, terminationGracePeriodSeconds later.
  it('ignores TERM as PID 1 of its own PID namespace, and KILL ends it', async () => {
    const { container, port } = await serving('own-pid', true);
    const pid = container.pid()!;
    container.kill('TERM');
    expect(await exitWithin(container, 2_000)).toBeNull();
    expect(await msToFirstHealth(port, process.hrtime.bigint(), 5_000)).not.toBeNull();
    container.kill('KILL');
    expect(await exitWithin(container, 10_000), container.output).not.toBeNull();
    expectNothingLeft(container, pid);
  });
});
