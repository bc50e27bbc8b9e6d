// OPTIONS, 405 and 404 from the routes the app actually registered: an onRoute hook records the
// methods of every URL pattern, so `Allow` always lists what the router answers and cannot drift
// from the route files. OPTIONS on a path no route serves is a 404, and a known path asked with a
// method it lacks is a 405 with `Allow` (RFC 9110 §15.5.6), not a 404.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { versionHeaders } from './gs1-headers.js';
import { problem, sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Headers OPTIONS adds for this route's path, e.g. the capture limits on /capture. */
    discoveryHeaders?: Record<string, string>;
  }
}

interface RoutePattern {
  segments: string[];
  methods: Set<string>;
  discoveryHeaders: Record<string, string>;
}

// Sorted the way RFC 9110 examples and the GS1 OpenAPI defaults read: OPTIONS first, then reads.
const METHOD_ORDER = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Whether a registered pattern ('/epcs/:value/events', '/ui/*') matches a request path. */
function matches(pattern: readonly string[], path: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i]!;
    if (part === '*') return true;
    const segment = path[i];
    if (segment === undefined) return false;
    if (part.startsWith(':') ? segment === '' : part !== segment) return false;
  }
  return pattern.length === path.length;
}

export class MethodRouting {
  private readonly patterns = new Map<string, RoutePattern>();

  /** Records a route; the OPTIONS catch-all itself is not a resource. */
  record(route: Pick<RouteOptions, 'method' | 'url' | 'config'>): void {
    if (route.url === '*' || route.url === '/*') return;
    let pattern = this.patterns.get(route.url);
    if (pattern === undefined) {
      pattern = { segments: route.url.split('/'), methods: new Set(['OPTIONS']), discoveryHeaders: {} };
      this.patterns.set(route.url, pattern);
    }
    for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
      pattern.methods.add(method.toUpperCase());
    }
    Object.assign(pattern.discoveryHeaders, route.config?.discoveryHeaders);
  }

  /** The patterns that serve a request path (query string excluded), in registration order. */
  private serving(url: string): RoutePattern[] {
    const path = (url.split('?')[0] ?? '').split('/');
    return [...this.patterns.values()].filter((pattern) => matches(pattern.segments, path));
  }

  /** The methods some route answers for this URL, or null when no route serves its path. */
  allowed(url: string): string[] | null {
    const serving = this.serving(url);
    if (serving.length === 0) return null;
    const methods = new Set(serving.flatMap((pattern) => [...pattern.methods]));
    return METHOD_ORDER.filter((method) => methods.has(method));
  }

  discoveryHeaders(url: string): Record<string, string> {
    return Object.assign({}, ...this.serving(url).map((pattern) => pattern.discoveryHeaders));
  }
}

function noSuchResource(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?')[0];
  return sendProblem(
    reply,
    problem('NoSuchResourceException', `there is no resource ${request.method} ${path}`),
  );
}

/**
 * Starts recording routes (call before any route is registered) and answers OPTIONS for every
 * path. Returns the handler for requests no route matched, for app.setNotFoundHandler.
 */
export function registerMethodRouting(
  app: FastifyInstance,
): (request: FastifyRequest, reply: FastifyReply) => FastifyReply {
  const routing = new MethodRouting();
  app.addHook('onRoute', (route) => routing.record(route));

  // OpenAPI 204DefaultDiscoveryResponse and its Writable/Removable/CaptureEndpoint variants.
  app.options('*', async (request, reply) => {
    const allowed = routing.allowed(request.url);
    if (allowed === null) return noSuchResource(request, reply);
    return reply
      .code(204)
      .headers({ Allow: allowed.join(', '), ...versionHeaders(), ...routing.discoveryHeaders(request.url) })
      .send();
  });

  return (request, reply) => {
    const allowed = routing.allowed(request.url);
    if (allowed === null || allowed.includes(request.method)) return noSuchResource(request, reply);
    const path = request.url.split('?')[0];
    return sendProblem(
      reply.header('Allow', allowed.join(', ')),
      problem(
        'MethodNotAllowedException',
        `${path} does not support ${request.method}; it answers ${allowed.join(', ')}`,
      ),
    );
  };
}
