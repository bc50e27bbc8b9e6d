// The active JSON-LD context of one event, reduced to what EPCIS needs: which IRI a prefix stands
// for. It keeps two views because the CBV 2.0 event hash does not follow JSON-LD to the letter
// (see namespaceOf), while everything else (queries, validation) wants real JSON-LD expansion.
import { bundlePrefixIndex, bundlePrefixIri, ContextEdition } from './epcis-context-bundle';

const GS1_VOC = 'https://ref.gs1.org/voc/';

/** Position of the colon that ends a CURIE prefix, or -1 when `name` is not `prefix:suffix`. */
export function curieColon(name: string): i32 {
  const base = changetype<usize>(name);
  for (let i = 0, n = name.length; i < n; i++) {
    if (load<u16>(base + ((<usize>i) << 1)) == 58) return i > 0 ? i : -1;
  }
  return -1;
}

/** True when `name` starts with `prefix` followed by the colon at `colon`; allocation-free. */
function prefixIs(name: string, colon: i32, prefix: string): bool {
  return (
    prefix.length == colon &&
    memory.compare(changetype<usize>(name), changetype<usize>(prefix), (<usize>colon) << 1) == 0
  );
}

export class JsonLdContext {
  /** Last bundled edition loaded through a context URL (ContextEdition.None when none was). */
  edition: ContextEdition = ContextEdition.None;
  /** Context URLs that are neither bundled nor fetchable offline; they were skipped. */
  unresolvedContexts: Array<string> = new Array<string>();
  /** JSON-LD view: prefixes defined by inline context objects, in processing order ("" = null). */
  inlineTerms: Map<string, string> = new Map<string, string>();
  /**
   * Hash view: every prefix an inline context object declared, regardless of where the bundled
   * context appears in the `@context` array; the last declaration of a prefix wins. Kept as two
   * parallel arrays because namespaceOf runs for every value and must not allocate.
   */
  declaredPrefixes: Array<string> = new Array<string>();
  declaredIris: Array<string> = new Array<string>();
  /** True when an inline definition came after the bundle, so it shadows a bundled prefix. */
  private inlineAfterBundle: Map<string, bool> = new Map<string, bool>();

  /** The IRI the JSON-LD active context maps a prefix to, or null when it maps none. */
  prefixIri(prefix: string): string | null {
    const inline = this.inlineTerms.has(prefix);
    if (inline && (this.edition == ContextEdition.None || this.inlineAfterBundle.has(prefix))) {
      const iri = this.inlineTerms.get(prefix);
      return iri.length > 0 ? iri : null;
    }
    if (this.edition != ContextEdition.None) {
      const index = bundlePrefixIndex(prefix);
      if (index >= 0) return bundlePrefixIri(index, this.edition);
    }
    if (inline) {
      const iri = this.inlineTerms.get(prefix);
      return iri.length > 0 ? iri : null;
    }
    return null;
  }

  /**
   * Expands a compact IRI: "example:myField" → "https://ns.example.com/epcis/myField". Names
   * without a declared prefix, absolute IRIs ("https://…") and blank nodes come back unchanged.
   */
  expandCurie(name: string): string {
    const colon = curieColon(name);
    if (colon < 0) return name;
    if (name.startsWith('//', colon + 1)) return name;
    const prefix = name.substring(0, colon);
    if (prefix == '_') return name;
    const iri = this.prefixIri(prefix);
    return iri === null ? name : iri + name.substring(colon + 1);
  }

  /**
   * The namespace the CBV 2.0 pre-hash prints as `{namespace}local` for a CURIE key, or null when
   * the key is printed as written. This follows the reference hash generator (RalphTro
   * epcis-event-hash-generator json_to_py.py), not JSON-LD:
   * - a prefix declared in an inline context object prints that IRI verbatim
   *   (`{urn:epcglobal:cbv:mda:}` in vector epcisDocWithVariousEventTypes);
   * - otherwise only its four well-known prefixes are known, and `cbvmda` prints as the XML
   *   namespace `urn:epcglobal:cbv:mda`, without the context's trailing colon (upstream vector
   *   ObjectEvent_all_possible_fields: `{urn:epcglobal:cbv:mda}countryOfExport`), so a JSON event
   *   hashes like its XML twin; `rdfs:`, `xsd:`, `owl:`, `dcterms:` keys stay as written;
   * - `gs1` always prints as https://ref.gs1.org/voc/ ("epcis 2.1 change" in json_to_py), even
   *   under the 2.0.0 context, whose `gs1` is https://gs1.org/voc/.
   */
  namespaceOf(key: string): string | null {
    const colon = curieColon(key);
    if (colon < 0) return null;
    if (prefixIs(key, colon, 'gs1')) return GS1_VOC;
    const prefixes = this.declaredPrefixes;
    for (let i = prefixes.length - 1; i >= 0; i--) {
      if (prefixIs(key, colon, unchecked(prefixes[i]))) {
        const iri = unchecked(this.declaredIris[i]);
        return iri.length > 0 ? iri : null;
      }
    }
    if (prefixIs(key, colon, 'cbv')) return 'https://ref.gs1.org/cbv/';
    if (prefixIs(key, colon, 'epcis')) return 'https://ref.gs1.org/epcis/';
    if (prefixIs(key, colon, 'cbvmda')) return 'urn:epcglobal:cbv:mda';
    return null;
  }

  /**
   * Expands a CURIE *value* only when its prefix stands for a GS1 namespace (https://ref.gs1.org/…
   * or https://gs1.org/…), as the reference generator does: `gs1:Angle` becomes
   * https://ref.gs1.org/voc/Angle, while user CURIEs such as `example:x` stay as written
   * (vector AggregationEvent_all_possible_fields, `component=example:x`).
   */
  expandGs1Curie(value: string): string {
    const namespace = this.namespaceOf(value);
    if (namespace === null) return value;
    if (!namespace.startsWith('https://ref.gs1.org') && !namespace.startsWith('https://gs1.org'))
      return value;
    return namespace + value.substring(value.indexOf(':') + 1);
  }

  /** Records an inline prefix definition ("" for a null definition). */
  defineInline(term: string, iri: string): void {
    this.inlineTerms.set(term, iri);
    this.declaredPrefixes.push(term);
    this.declaredIris.push(iri);
    if (this.edition != ContextEdition.None) this.inlineAfterBundle.set(term, true);
  }

  /** Makes a bundled edition active; later bundles replace the bundled prefixes of earlier ones. */
  loadEdition(edition: ContextEdition): void {
    this.edition = edition;
    this.inlineAfterBundle.clear();
  }
}
