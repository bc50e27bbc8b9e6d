// Bundles the tracking console (ui/) into build/ui with esbuild: one minified script and one
// stylesheet (the console's own CSS plus vis-timeline's), content-hashed names, linked source maps,
// and gzip copies the service sends to browsers that accept them. Everything the page needs is in
// build/ui afterwards; nothing is fetched from the internet at run time.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'build/ui');
const assetsDir = join(outDir, 'assets');
const ASSET_URL = '/ui/assets/';

await rm(outDir, { recursive: true, force: true });
await mkdir(assetsDir, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { app: 'ui/src/main.ts' },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  // Chromium on warehouse tablets, kept current by their MDM; ES2020 also covers older Safari.
  target: ['es2020', 'chrome100', 'safari15'],
  minify: true,
  sourcemap: 'linked',
  // The journey panel (vis-timeline, Chart.js) is a chunk loaded with the first search.
  splitting: true,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  outdir: assetsDir,
  metafile: true,
  legalComments: 'linked',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
});

const outputs = Object.keys(result.metafile.outputs).map((file) => join(root, file));
const entry = Object.entries(result.metafile.outputs).find(
  ([, output]) => output.entryPoint === 'ui/src/main.ts',
);
const script = entry === undefined ? undefined : join(root, entry[0]);
const stylesheet = entry?.[1].cssBundle === undefined ? undefined : join(root, entry[1].cssBundle);
if (script === undefined || stylesheet === undefined) {
  throw new Error(
    `esbuild wrote no script or no stylesheet: ${outputs.map((f) => relative(root, f)).join(', ')}`,
  );
}

const chunks = outputs.filter((file) => file.endsWith('.js') && file !== script);
const template = await readFile(join(root, 'ui/index.html'), 'utf8');
const page = template
  .replace('<!-- stylesheet -->', `<link rel="stylesheet" href="${ASSET_URL}${basename(stylesheet)}" />`)
  .replace(
    '<!-- script -->',
    [
      `<script type="module" src="${ASSET_URL}${basename(script)}"></script>`,
      // Fetched while the operator types the first search, so it is ready when the journey needs it.
      ...chunks.map((chunk) => `<link rel="prefetch" href="${ASSET_URL}${basename(chunk)}" />`),
    ].join('\n    '),
  );
if (page === template || page.includes('<!-- script -->') || page.includes('<!-- stylesheet -->')) {
  throw new Error('ui/index.html must hold the <!-- stylesheet --> and <!-- script --> markers');
}
await writeFile(join(outDir, 'index.html'), page);

let bytes = 0;
let gzipBytes = 0;
for (const file of [join(outDir, 'index.html'), ...outputs.filter((f) => /\.(js|css)$/.test(f))]) {
  const content = await readFile(file);
  const compressed = gzipSync(content, { level: 9 });
  await writeFile(`${file}.gz`, compressed);
  bytes += content.length;
  gzipBytes += compressed.length;
}
console.log(
  `build/ui: ${basename(script)} (+${chunks.length} chunks), ${basename(stylesheet)}; ${(bytes / 1024).toFixed(0)} KiB (${(gzipBytes / 1024).toFixed(0)} KiB gzip)`,
);
