// GS1's openapi.json as the contract check reads it: loaded from shared/conformance (never copied
// into the repository), corrected by the listed deviations only, with JSON-pointer lookups and the
// matching of request paths to its path templates and to our listed extension paths.
import { EXTENSION_PATHS, SPEC_FIXES } from './openapi-deviations.js';
import { readSchema } from './shared-data.js';

export type Json = Record<string, unknown>;

/** A node of the document with the JSON pointer that names it (ajv compiles by pointer). */
export interface Located {
  node: Json;
  pointer: string;
}

const OPERATION_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options'];

export const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** '/epcs/{epc}/events' or an extension pattern → a matcher of raw (still encoded) request paths. */
function templateMatcher(template: string): RegExp {
  const body = template
    .split('/')
    .map((part) => (part === '*' ? '.*' : /^\{.+\}$/.test(part) ? '[^/]+' : part))
    .join('/');
  return new RegExp(`^${body}$`);
}

export class OpenApiDocument {
  readonly doc: Json;
  /** Every operation as 'METHOD /template'. */
  readonly operations: readonly string[];
  private readonly templates: { template: string; match: RegExp; statics: number }[];
  private readonly extensions = Object.keys(EXTENSION_PATHS).map(templateMatcher);

  constructor(published: Json) {
    this.doc = structuredClone(published);
    for (const fix of SPEC_FIXES) fix.apply(this.at(fix.at));
    const paths = this.doc['paths'] as Record<string, Json>;
    this.templates = Object.keys(paths)
      .map((template) => ({
        template,
        match: templateMatcher(template),
        statics: template.split('/').filter((part) => !part.startsWith('{')).length,
      }))
      // A static segment wins over a parameter, as in the router.
      .sort((a, b) => b.statics - a.statics);
    this.operations = Object.entries(paths).flatMap(([template, item]) =>
      OPERATION_METHODS.filter((m) => m in item).map((m) => `${m.toUpperCase()} ${template}`),
    );
  }

  at(pointer: string): Json {
    let node: unknown = this.doc;
    for (const raw of pointer.split('/').slice(1)) {
      node = (node as Json)[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
      if (node === undefined) throw new Error(`openapi.json has nothing at ${pointer}`);
    }
    return node as Json;
  }

  /** Follows $ref chains to the node they name. */
  resolve(pointer: string): Located {
    let node = this.at(pointer);
    while (typeof node['$ref'] === 'string') {
      pointer = node['$ref'].slice(1);
      node = this.at(pointer);
    }
    return { node, pointer };
  }

  /** The path template serving a request path, or null when the binding has none. */
  templateOf(path: string): string | null {
    return this.templates.find((t) => t.match.test(path))?.template ?? null;
  }

  /** Whether a request path is one of our listed extension resources. */
  isExtension(path: string): boolean {
    return this.extensions.some((pattern) => pattern.test(path));
  }
}

export function loadOpenApiDocument(): OpenApiDocument {
  return new OpenApiDocument(readSchema('openapi.json') as Json);
}
