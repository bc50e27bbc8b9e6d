// The wasm image of a given tracker-server.wasm, built by scripts/build-images.sh only when the
// existing one holds another module: the build assembles the sidecar image too (about a minute here),
// so a test or benchmark reuses what `npm run build:images` left. A private build of the server
// (EDGETRACE_SERVER_WASM) gets its images next to it, as its AOT forms are, never in build/.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { imageFile, readWasmImage, type WasmImage } from './wasm-image-bundle.js';

const IMAGE = 'edgetrace-tracker-server';
const MODULE_PATH = '/tracker-server.wasm';

/** Where the images of `serverWasm` live: build/images for the project's own build. */
export function imagesDirFor(repoRoot: string, serverWasm: string): string {
  const projectBuild = resolve(repoRoot, 'build/tracker-server.wasm');
  return resolve(serverWasm) === projectBuild
    ? join(repoRoot, 'build/images')
    : join(dirname(serverWasm), 'images');
}

/**
 * Whether the image's module was compiled from `serverWasm`: WasmEdge's universal AOT format is the
 * original module followed by a custom section holding the native code, so it starts with its bytes.
 */
function compiledFrom(image: WasmImage, serverWasm: string): boolean {
  const module = imageFile(image, MODULE_PATH);
  const source = readFileSync(serverWasm);
  return module !== null && module.length > source.length && module.subarray(0, source.length).equals(source);
}

export function ensureWasmImage(repoRoot: string, serverWasm: string): WasmImage {
  if (!existsSync(serverWasm)) throw new Error(`${serverWasm} is missing: run npm run build:server`);
  const out = imagesDirFor(repoRoot, serverWasm);
  const layout = join(out, IMAGE);
  if (existsSync(join(layout, 'index.json')) && compiledFrom(readWasmImage(layout), serverWasm)) {
    return readWasmImage(layout);
  }
  execFileSync(
    'bash',
    [join(repoRoot, 'scripts/build-images.sh'), '--out', out, '--server-wasm', serverWasm],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 900_000,
    },
  );
  const image = readWasmImage(layout);
  if (!compiledFrom(image, serverWasm))
    throw new Error(`${layout} does not hold ${serverWasm} after a build`);
  return image;
}
