// Builds an event's JsonLdContext from the document's `@context` and the event's own, offline.
//
// Remote contexts other than the bundled EPCIS ones cannot be fetched on an edge device. They are
// skipped without an issue and listed in JsonLdContext.unresolvedContexts: the CBV 2.0 hash does
// not depend on them (the reference generator takes key namespaces only from inline context
// objects and its four well-known prefixes, see JsonLdContext.namespaceOf), and rejecting every
// document that names, say, a vendor's context would refuse valid EPCIS.
import { IssueList, pointerToken } from '../diagnostics/issue';
import { JsonKind, JsonObject, JsonValue } from '../json/value';
import {
  BUNDLE_PREFIXES,
  bundlePrefixIri,
  bundleTermIri,
  ContextEdition,
  editionIsProtected,
  editionOfUrl,
} from './epcis-context-bundle';
import { JsonLdContext } from './json-ld-context';

const PROTECTED_ISSUE_REF = ' (protected term redefinition, https://github.com/gs1/EPCIS/issues/335)';

class ContextReader {
  /** Edition whose top-level terms are protected, once such a bundle is active. */
  protectedEdition: ContextEdition = ContextEdition.None;
  /** Terms an inline context marked `@protected`, with the IRI they were given. */
  protectedInline: Map<string, string> = new Map<string, string>();

  constructor(
    public ctx: JsonLdContext,
    public issues: IssueList | null,
    public eventIndex: i32,
  ) {}

  report(pointer: string, message: string): void {
    const issues = this.issues;
    if (issues !== null) issues.add(this.eventIndex, pointer, message);
  }

  /** The IRI a term definition stands for: CURIEs expanded, "" for null or unusable definitions. */
  definitionIri(value: JsonValue): string {
    let text: string | null = value.asString();
    if (text === null) {
      const object = value.asObject();
      if (object !== null) text = object.getString('@id');
    }
    if (text === null || text.startsWith('@')) return text === null ? '' : text;
    return this.ctx.expandCurie(text);
  }

  /** Reports a redefinition that changes a protected term; JSON-LD processors reject those. */
  checkProtected(term: string, iri: string, pointer: string): void {
    if (this.protectedInline.has(term)) {
      const previous = this.protectedInline.get(term);
      if (previous != iri) {
        this.report(
          pointer,
          '@context redefines the protected term "' +
            term +
            '" as ' +
            describe(iri) +
            ' although an earlier context fixed it as ' +
            describe(previous) +
            PROTECTED_ISSUE_REF,
        );
      }
      return;
    }
    if (this.protectedEdition == ContextEdition.None) return;
    const bundled = bundleTermIri(term, this.protectedEdition);
    if (bundled !== null && bundled != iri) {
      this.report(
        pointer,
        '@context redefines "' +
          term +
          '", a protected term of the EPCIS context, as ' +
          describe(iri) +
          ' instead of ' +
          bundled +
          PROTECTED_ISSUE_REF,
      );
    }
  }

  readUrl(url: string, pointer: string): void {
    const edition = editionOfUrl(url);
    if (edition == ContextEdition.None) {
      this.ctx.unresolvedContexts.push(url);
      return;
    }
    // Loading a second edition redefines its prefixes, which the first one may protect.
    for (let i = 0, n = BUNDLE_PREFIXES.length; i < n; i++) {
      this.checkProtected(unchecked(BUNDLE_PREFIXES[i]), bundlePrefixIri(i, edition), pointer);
    }
    this.ctx.loadEdition(edition);
    if (editionIsProtected(edition)) this.protectedEdition = edition;
  }

  readObject(object: JsonObject, pointer: string): void {
    const protectAll = isTrue(object.get('@protected'));
    for (let i = 0, n = object.size; i < n; i++) {
      const term = unchecked(object.keys[i]);
      if (term.startsWith('@')) continue;
      const value = unchecked(object.values[i]);
      const at = pointer + '/' + pointerToken(term);
      if (!value.isString() && !value.isObject() && !value.isNull()) {
        this.report(at, 'the @context term "' + term + '" must map to an IRI string, an object or null');
        continue;
      }
      const iri = this.definitionIri(value);
      this.checkProtected(term, iri, at);
      this.ctx.defineInline(term, iri);
      const definition = value.asObject();
      if (protectAll || (definition !== null && isTrue(definition.get('@protected')))) {
        this.protectedInline.set(term, iri);
      }
    }
  }

  read(value: JsonValue | null, pointer: string): void {
    if (value === null || value.isNull()) return;
    const url = value.asString();
    if (url !== null) {
      this.readUrl(url, pointer);
      return;
    }
    const object = value.asObject();
    if (object !== null) {
      this.readObject(object, pointer);
      return;
    }
    const array = value.asArray();
    if (array === null) {
      this.report(pointer, '@context must be a URL, an object or an array of those');
      return;
    }
    for (let i = 0, n = array.length; i < n; i++) {
      const item = unchecked(array.items[i]);
      if (item.isArray()) {
        this.report(pointer + '/' + i.toString(), '@context arrays cannot nest');
        continue;
      }
      this.read(item, pointer + '/' + i.toString());
    }
  }
}

function isTrue(value: JsonValue | null): bool {
  return value !== null && value.kind == JsonKind.True;
}

function describe(iri: string): string {
  return iri.length > 0 ? iri : 'null';
}

/**
 * The active context of one event: the document's `@context`, then the event's own (null when it
 * has none). Issues found in the document's context are reported only when eventContext is null,
 * i.e. by the call made once for the whole document; a per-event call reports what the event's
 * own `@context` adds, at `pointer` (the event's `/@context`).
 */
export function resolveContext(
  documentContext: JsonValue | null,
  eventContext: JsonValue | null,
  issues: IssueList,
  eventIndex: i32,
  pointer: string,
): JsonLdContext {
  const ctx = new JsonLdContext();
  const reader = new ContextReader(ctx, eventContext === null ? issues : null, eventIndex);
  reader.read(documentContext, pointer);
  if (eventContext !== null) {
    reader.issues = issues;
    reader.read(eventContext, pointer);
  }
  return ctx;
}
