// JSON-LD terms of user extensions → XML qualified names. "example:userElement" with
// {"example": "http://ns.example.com/epcis/"} in an event's @context is written as
// <example:userElement>, with xmlns:example declared once on the answer's document element.
//
// Each event resolves its terms through its own contexts: the @context of the document it was
// captured in, then the event's own @context, later definitions winning (as the core's CBV 2.0 hash
// reads them, assembly/jsonld/json-ld-context.ts namespaceOf). One answer page mixes events of many
// capture documents, and two of them may give one prefix different IRIs ("example" is
// http://ns.example.com/epcis in one OpenEPCIS file and http://ns.example.com/epcis/ in another):
// resolving against the page's merged @context would move one event's extensions into the other's
// namespace, and give it another hash ID when the answer is captured back.

// Prefixes the answer's own elements use, which a user's namespace must not take over.
const TAKEN = new Set(['epcis', 'epcisq', 'xsi', 'xml', 'xmlns', 'gs1']);
// Prefixes the EPCIS 2.0 JSON-LD context itself defines, as the core's hash reads them when no
// inline context redefines them (namespaceOf); gs1 is read as https://ref.gs1.org/voc/ always.
const CONTEXT_DEFAULTS: ReadonlyMap<string, string> = new Map([
  ['cbvmda', 'urn:epcglobal:cbv:mda'],
  ['cbv', 'https://ref.gs1.org/cbv/'],
  ['epcis', 'https://ref.gs1.org/epcis/'],
]);
const GS1_VOC = 'https://ref.gs1.org/voc/';
// The context's other prefixes, which the hash prints as written (namespaceOf knows them not) but
// JSON-LD expands: in XML they need their real namespace (assembly/jsonld/epcis-context-bundle.ts).
const BUNDLE_ONLY: ReadonlyMap<string, string> = new Map([
  ['rdfs', 'http://www.w3.org/2000/01/rdf-schema#'],
  ['owl', 'http://www.w3.org/2002/07/owl#'],
  ['xsd', 'http://www.w3.org/2001/XMLSchema#'],
  ['dcterms', 'http://purl.org/dc/terms/'],
]);
const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** The namespaces one answer declares: prefix → URI, a URI under one prefix only. */
export class XmlNamespaces {
  private readonly declared = new Map<string, string>();
  private readonly byUri = new Map<string, string>();

  /**
   * The names of one event's terms. `contexts` are its @context values outermost first (the capture
   * document's, then the event's own); string entries (context URLs) define no prefixes here.
   */
  scope(...contexts: unknown[]): NamespaceScope {
    const prefixes = new Map([...BUNDLE_ONLY, ...CONTEXT_DEFAULTS]);
    for (const context of contexts)
      for (const entry of Array.isArray(context) ? context : [context]) {
        if (entry === null || typeof entry !== 'object') continue;
        for (const [prefix, uri] of Object.entries(entry as Record<string, unknown>))
          if (typeof uri === 'string' && uri !== '') prefixes.set(prefix, uri);
      }
    prefixes.set('gs1', GS1_VOC);
    return new NamespaceScope(this, prefixes);
  }

  /** ` xmlns:p="…"` for every namespace used. */
  declarations(): string {
    let out = '';
    for (const [prefix, uri] of this.declared)
      out += ` xmlns:${prefix}="${uri.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`;
    return out;
  }

  /** The prefix declared for `uri`: `wanted` when it is free, else ns1, ns2, … */
  prefixFor(uri: string, wanted: string): string {
    const known = this.byUri.get(uri);
    if (known !== undefined) return known;
    let prefix = wanted;
    if (!NCNAME.test(prefix) || prefix.includes('.') || TAKEN.has(prefix) || this.declared.has(prefix)) {
      let n = 1;
      do prefix = `ns${n++}`;
      while (this.declared.has(prefix));
    }
    this.declared.set(prefix, uri);
    this.byUri.set(uri, prefix);
    return prefix;
  }
}

/** One event's view of the answer's namespaces. */
export class NamespaceScope {
  constructor(
    private readonly namespaces: XmlNamespaces,
    private readonly prefixes: ReadonlyMap<string, string>,
  ) {}

  /** The qualified name of a JSON term `prefix:local` or IRI, or null when XML cannot name it. */
  qualify(term: string): string | null {
    const colon = term.indexOf(':');
    const prefix = term.slice(0, colon);
    const local = term.slice(colon + 1);
    const uri = this.prefixes.get(prefix);
    if (uri !== undefined && NCNAME.test(local)) return `${this.namespaces.prefixFor(uri, prefix)}:${local}`;
    // A full IRI (JSON-LD reads a term with an undefined prefix as one too): the namespace is
    // everything up to its last '/', '#' or ':'.
    const cut = Math.max(term.lastIndexOf('/'), term.lastIndexOf('#'), term.lastIndexOf(':'));
    const iriLocal = term.slice(cut + 1);
    if (!NCNAME.test(iriLocal)) return null;
    return `${this.namespaces.prefixFor(term.slice(0, cut + 1), '')}:${iriLocal}`;
  }
}
