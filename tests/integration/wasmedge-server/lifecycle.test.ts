// How tracker-server.wasm starts and stops as a process: native code (AOT) rather than the
// interpreter, settings from its arguments, and a prompt exit on SIGTERM.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureLlvmFreeWasmEdge, ensureServerAotModule, ensureWasmEdge } from '../../helpers/wasmedge.js';
import {
  WasmEdgeServer,
  freePort,
  hasAnonymousExecutableMapping,
  stopAll,
} from './support/wasmedge-server.js';

let wasmedge: string;
let module: string;
beforeAll(() => {
  wasmedge = ensureWasmEdge();
  module = ensureServerAotModule();
});
afterEach(stopAll);

describe('tracker-server.wasm as a process', () => {
  // WasmEdge loads an AOT module's native code into anonymous memory it makes executable
  // (lib/system/allocator.cpp: mprotect PROT_EXEC); the interpreter never creates executable
  // memory, and neither WasmEdge nor its libraries map any otherwise. The second server, the same
  // file forced into the interpreter, shows that the signal tells the two apart on this machine.
  it('runs the AOT native code, not the interpreter', async () => {
    const aot = await WasmEdgeServer.start({ runtime: wasmedge, module });
    expect(hasAnonymousExecutableMapping(aot.pid)).toBe(true);
    const interpreted = await WasmEdgeServer.start({
      runtime: wasmedge,
      module,
      runtimeFlags: ['--force-interpreter'],
    });
    expect(hasAnonymousExecutableMapping(interpreted.pid)).toBe(false);
  });

  // The runtime of the pod: WasmEdge built without LLVM runs the module Debian's build compiled for
  // any CPU of the architecture (--generic-binary); it cannot compile, so native code proves the AOT
  // section was accepted rather than ignored.
  it('serves from the generic AOT module under the LLVM-free runtime, as native code', async () => {
    const server = await WasmEdgeServer.start({
      runtime: ensureLlvmFreeWasmEdge(),
      module: ensureServerAotModule(true),
    });
    const response = await fetch(`${server.baseUrl}/health`);
    expect(await response.json()).toEqual({ status: 'alive' });
    expect(hasAnonymousExecutableMapping(server.pid)).toBe(true);
  });

  it('exits promptly on SIGTERM', async () => {
    const server = await WasmEdgeServer.start({ runtime: wasmedge, module });
    server.kill('SIGTERM');
    const exit = await Promise.race([
      server.exited,
      new Promise<null>((done) => setTimeout(() => done(null), 2000)),
    ]);
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('takes its port and data directory from PORT and DATA_DIR when no flags are given', async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'edgetrace-wasmedge-env-'));
    const child = spawn(
      wasmedge,
      ['--dir', `${dataDir}:${dataDir}`, '--env', `PORT=${port}`, '--env', `DATA_DIR=${dataDir}`, module],
      { stdio: 'ignore' },
    );
    try {
      let status = 0;
      for (let i = 0; i < 250 && status !== 200; i++) {
        await new Promise((done) => setTimeout(done, 20));
        status = await fetch(`http://127.0.0.1:${port}/health`).then(
          (response) => response.status,
          () => 0,
        );
      }
      expect(status).toBe(200);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stops with a message when the data directory is not mapped into the sandbox', () => {
    const result = spawnSync(wasmedge, ['--env', 'DATA_DIR=/nowhere', module, '--port', '1'], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('the data directory /nowhere is not mapped into the sandbox');
  });

  it('stops with a message naming an unknown argument or a malformed port', () => {
    const unknown = spawnSync(wasmedge, [module, '--prot', '80'], { encoding: 'utf8', timeout: 10_000 });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown argument "--prot"');
    const malformed = spawnSync(wasmedge, [module, '--port', '80x'], { encoding: 'utf8', timeout: 10_000 });
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain('--port must be a TCP port from 1 to 65535, not "80x"');
    const sidecar = spawnSync(wasmedge, ['--env', 'SIDECAR_PORT=70000', module], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(sidecar.status).toBe(2);
    expect(sidecar.stderr).toContain('SIDECAR_PORT must be a TCP port from 1 to 65535, not "70000"');
  });
});
