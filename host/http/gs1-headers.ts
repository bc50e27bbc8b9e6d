// The GS1 version and capability headers EPCIS clients negotiate with (OpenAPI
// 204DefaultDiscoveryResponse). They are sent on every response, and OPTIONS answers with them.
import type { FastifyInstance } from 'fastify';

export interface CaptureLimitHeaders {
  maxEvents: number;
  maxBytes: number;
}

export const VENDOR_VERSION = 'edgetrace/0.1.0';

export function versionHeaders(): Record<string, string> {
  return {
    'GS1-EPCIS-Version': '2.0.0',
    'GS1-EPCIS-Min': '2.0.0',
    'GS1-EPCIS-Max': '2.0.0',
    'GS1-CBV-Version': '2.0.0',
    'GS1-CBV-Min': '2.0.0',
    'GS1-CBV-Max': '2.0.0',
    'GS1-Vendor-Version': VENDOR_VERSION,
    'GS1-Extensions': '',
    'GS1-EPC-Format': 'Always_GS1_Digital_Link',
  };
}

export function captureLimitHeaders(limits: CaptureLimitHeaders): Record<string, string> {
  return {
    'GS1-EPCIS-Capture-Limit': String(limits.maxEvents),
    'GS1-EPCIS-Capture-File-Size-Limit': String(limits.maxBytes),
    'GS1-Capture-Error-Behaviour': 'rollback, proceed',
  };
}

/**
 * Adds the version headers to every response the app sends, except those a route set itself (POST
 * /events answers with the GS1-EPC-Format it negotiated). Names are lowercased once here, as fastify
 * keeps them, and the hook takes the callback form: no promise per response.
 */
export function registerGs1Headers(app: FastifyInstance): void {
  const headers = Object.entries(versionHeaders()).map(
    ([name, value]) => [name.toLowerCase(), value] as const,
  );
  app.addHook('onSend', (_request, reply, payload, done) => {
    for (const [name, value] of headers) {
      if (!reply.hasHeader(name)) reply.header(name, value);
    }
    done(null, payload);
  });
}
