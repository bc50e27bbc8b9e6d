// XML namespaces → JSON-LD prefixes. A user extension `<example:userElement>` in namespace
// http://ns.example.com/epcis/ becomes the term "example:userElement" with {"example": that URI}
// in an @context, as its JSON twin writes it; the CBV 2.0 hash expands both to the same IRI, so the
// prefix itself never matters, only that it resolves to the XML namespace.
import { MACHINERY_NAMESPACES } from './xml-names.js';

// Terms of the EPCIS 2.0 JSON-LD context (and JSON-LD keywords' neighbours) that a local prefix
// must not redefine: {"gs1": "https://gs1.org/voc/"} would change what "gs1:Temperature" means.
const RESERVED_PREFIXES: ReadonlySet<string> = new Set([
  'gs1',
  'cbv',
  'cbvmda',
  'epcis',
  'rdf',
  'rdfs',
  'owl',
  'xsd',
  'xsi',
  'dcterms',
  'dc',
  'schema',
  'sh',
  'skos',
  'vann',
  'id',
  'type',
  'xml',
  'xmlns',
]);

// Namespaces the EPCIS JSON-LD context names itself: CBV master data attributes (cbvmda: is
// urn:epcglobal:cbv:mda# there, and the CBV 2.0 hash reads urn:epcglobal:cbv:mda as the same).
// `urn:epcglobal:cbv:mda:` is another namespace to the hash (RalphTro's epcisDocWithVariousEventTypes).
const CONTEXT_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['urn:epcglobal:cbv:mda', 'cbvmda'],
  ['urn:epcglobal:cbv:mda#', 'cbvmda'],
]);

const PREFIX_SHAPE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Whether the document-level @context may carry `prefix` for `uri` as written in the XML. */
export function isPlainPrefix(prefix: string, uri: string): boolean {
  return (
    prefix !== '' &&
    PREFIX_SHAPE.test(prefix) &&
    !RESERVED_PREFIXES.has(prefix) &&
    !MACHINERY_NAMESPACES.has(uri)
  );
}

/** The prefixes of one event: the document's, plus any the event needs of its own. */
export class EventContext {
  private own: Map<string, string> | null = null;
  private byUri: Map<string, string> | null = null;

  /**
   * @param document prefixes the document-level @context defines (prefix → URI).
   * @param scope prefixes in scope at the event (prefix → URI), for CURIE values such as
   *   `type="example:someSensorProperty"`.
   */
  constructor(
    private readonly document: ReadonlyMap<string, string>,
    private readonly scope: ReadonlyMap<string, string>,
  ) {}

  /** The JSON term of an element or attribute in namespace `uri`. */
  term(uri: string, prefix: string, local: string): string {
    return `${this.prefixFor(uri, prefix)}:${local}`;
  }

  /** Makes sure a CURIE value's prefix means in JSON what it meant in the XML (when it is declared). */
  noteCurie(value: string): void {
    const colon = value.indexOf(':');
    if (colon <= 0) return;
    const prefix = value.slice(0, colon);
    const uri = this.scope.get(prefix);
    if (uri === undefined || this.document.get(prefix) === uri || !isPlainPrefix(prefix, uri)) return;
    if (this.own?.get(prefix) === uri) return;
    if (this.own?.has(prefix) === true || this.document.has(prefix)) return;
    this.define(prefix, uri);
  }

  /** The event's own @context entries, or null when the document's suffice. */
  entries(): Record<string, string> | null {
    return this.own === null ? null : Object.fromEntries(this.own);
  }

  private prefixFor(uri: string, written: string): string {
    const standard = CONTEXT_PREFIXES.get(uri);
    if (standard !== undefined) return standard;
    if (written !== '' && this.document.get(written) === uri) return written;
    const known = this.byUri?.get(uri);
    if (known !== undefined) return known;
    let prefix = written;
    if (!isPlainPrefix(prefix, uri) || this.document.has(prefix) || this.own?.has(prefix) === true) {
      let n = 1;
      do prefix = `ns${n++}`;
      while (this.document.has(prefix) || this.own?.has(prefix) === true);
    }
    this.define(prefix, uri);
    return prefix;
  }

  private define(prefix: string, uri: string): void {
    this.own ??= new Map();
    this.byUri ??= new Map();
    this.own.set(prefix, uri);
    if (!this.byUri.has(uri)) this.byUri.set(uri, prefix);
  }
}
