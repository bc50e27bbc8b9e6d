// The tracking console: the static page and bundle that scripts/build-ui.mjs writes to build/ui.
// They hold no data, so they are public; every API call the page makes carries the operator's
// Bearer token. Files are read from disk per request (the OS caches them), so a bundle built after
// the service started is served without a restart.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem, sendProblem } from '../problem.js';

// host/http/routes when run from source (tests), dist/host/http/routes when built.
const CANDIDATES = ['../../../build/ui', '../../../../build/ui'].map((relative) =>
  fileURLToPath(new URL(relative, import.meta.url)),
);

export const CONSOLE_PUBLIC_PATHS = ['/ui', '/ui/*'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

// Asset names carry a content hash (scripts/build-ui.mjs), so a browser may keep them for good;
// the page itself is revalidated so that a new build is picked up on the next load.
const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
// One plain file name: no folders, no dot-dot, nothing a request could use to leave build/ui/assets.
const ASSET_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.(js|css|map|svg|png|woff2|txt)$/;

// The page loads only its own bundle and talks only to this service. vis-timeline positions its
// items through style attributes, hence 'unsafe-inline' for styles (scripts stay strict).
const PAGE_SECURITY = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'Referrer-Policy': 'no-referrer',
};

export interface ConsoleRoutesDeps {
  /** Folder holding index.html and assets/; defaults to the repository's build/ui. */
  bundleDir?: string;
}

function defaultBundleDir(): string {
  return CANDIDATES.find((dir) => existsSync(dir)) ?? CANDIDATES[0]!;
}

function notBuilt(reply: FastifyReply): FastifyReply {
  return sendProblem(
    reply,
    problem(
      'ServiceUnavailableException',
      'the tracking console is not built on this server: run npm run build:ui (or npm run build) and reload',
    ),
  );
}

function acceptsGzip(request: FastifyRequest): boolean {
  const header = request.headers['accept-encoding'];
  return typeof header === 'string' && /\bgzip\b/.test(header);
}

/** Reads `file`, preferring the precompressed `file.gz` the build wrote when the client takes gzip. */
async function readVariant(
  file: string,
  gzip: boolean,
): Promise<{ body: Buffer; encoding: 'gzip' | null } | null> {
  if (gzip) {
    const compressed = await readFile(`${file}.gz`).catch(() => null);
    if (compressed !== null) return { body: compressed, encoding: 'gzip' };
  }
  const plain = await readFile(file).catch(() => null);
  return plain === null ? null : { body: plain, encoding: null };
}

function send(
  reply: FastifyReply,
  file: { body: Buffer; encoding: 'gzip' | null },
  type: string,
  cacheControl: string,
): FastifyReply {
  reply.headers({
    'Content-Type': type,
    'Cache-Control': cacheControl,
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
  });
  if (file.encoding !== null) reply.header('Content-Encoding', file.encoding);
  return reply.send(file.body);
}

export function registerConsoleRoutes(app: FastifyInstance, deps: ConsoleRoutesDeps = {}): void {
  // Looked up per request, so that a bundle built after the start is found wherever it appears.
  const bundleDir = () => deps.bundleDir ?? defaultBundleDir();

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    const file = await readVariant(join(bundleDir(), 'index.html'), acceptsGzip(request));
    if (file === null) return notBuilt(reply);
    reply.headers(PAGE_SECURITY);
    return send(reply, file, CONTENT_TYPES['.html']!, REVALIDATE);
  };

  app.get('/ui', page);
  app.get<{ Params: { '*': string } }>('/ui/*', async (request, reply) => {
    const rest = request.params['*'];
    if (rest === '' || rest === 'index.html') return page(request, reply);
    const name = rest.startsWith('assets/') ? rest.slice('assets/'.length) : null;
    if (name === null || !ASSET_NAME.test(name)) {
      return sendProblem(
        reply,
        problem('NoSuchResourceException', `the console has no file ${request.url.split('?')[0]}`),
      );
    }
    const dir = bundleDir();
    if (!existsSync(join(dir, 'index.html'))) return notBuilt(reply);
    const file = await readVariant(join(dir, 'assets', name), acceptsGzip(request));
    if (file === null) {
      return sendProblem(
        reply,
        problem(
          'NoSuchResourceException',
          `the console has no file ${request.url.split('?')[0]}; reload the page to get the current build`,
        ),
      );
    }
    const type = CONTENT_TYPES[extname(name)] ?? 'application/octet-stream';
    return send(reply, file, type, IMMUTABLE);
  });
}
