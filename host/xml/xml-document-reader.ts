// Streams an EPCIS 1.2 or 2.0 XML document (EPCISDocument, EPCISQueryDocument or one bare event)
// into the JSON text of its EPCIS 2.0 JSON-LD rendering, which the core then parses, validates and
// hashes exactly as it would the JSON twin: one validation and one hash path for both formats.
//
// saxes reads the bytes as they arrive (well-formedness and namespaces per XML 1.0 + Namespaces);
// only the event being read is held as a small tree, then written out as JSON and dropped. A DTD
// with anything in it is refused before it could matter: saxes never expands entities of its own,
// and nothing here ever opens a file or a URL.
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { EPCIS_CONTEXT_URL } from '../http/epcis-context.js';
import { ByteSink } from './byte-sink.js';
import { eventToJson } from './event-to-json.js';
import { EventContext, isPlainPrefix } from './json-context.js';
import { XmlInputError } from './xml-input-error.js';
import type { XmlNode } from './xml-node.js';
import { EPCIS_2_NS, EVENT_TYPES, isEpcisName, XMLNS_NS } from './xml-names.js';

const QUERY_RESULTS_MEMBERS: ReadonlySet<string> = new Set(['queryName', 'subscriptionID', 'resultsBody']);

export interface XmlReaderLimits {
  /** Deepest element nesting accepted (XML_MAX_DEPTH). */
  maxDepth: number;
  /** Most events one document may hold (CAPTURE_LIMIT_EVENTS). */
  maxEvents: number;
}

export type XmlDocumentKind = 'EPCISDocument' | 'EPCISQueryDocument' | 'Event';

export interface XmlConversion {
  documentKind: XmlDocumentKind;
  /** UTF-8 JSON text for the core. */
  json: Buffer;
  /** Element path of each event, in document order (the core's eventIndex). */
  eventPaths: string[];
  /** Per event, the JSON members that came from 1.2 `<extension>` wrappers (null: none). */
  wrapped: (string[] | null)[];
}

type Role =
  | 'document'
  | 'queryDocument'
  | 'body'
  | 'queryResults'
  | 'resultsBody'
  | 'eventList'
  | 'eventListExtension'
  | 'queryText'
  | 'skip';

interface Frame {
  role: Role;
  path: string;
  /** Children seen per name (element paths number repeated siblings). */
  seen?: Map<string, number>;
}

const DOCTYPE_WITHOUT_DECLARATIONS = /^\s*[A-Za-z_][\w.:-]*\s*$/;

export class XmlDocumentReader {
  private readonly parser = new SaxesParser({ xmlns: true, position: true });
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly sink: ByteSink;
  private readonly frames: Frame[] = [];
  private kind: XmlDocumentKind | null = null;
  private depth = 0;
  private documentContext = new Map<string, string>();
  // The event being read: its node stack (the event first) and what the reader knows about it.
  private nodes: XmlNode[] = [];
  private eventPath = '';
  private eventScope = new Map<string, string>();
  private readonly eventPaths: string[] = [];
  private readonly wrapped: (string[] | null)[] = [];
  private firstEvent = true;
  private queryMembers = 0;
  private queryText = '';
  private resultsOpened = false;
  private sawQueryName = false;
  /** 2.0 capture documents are held to the XSD's order of the common event fields. */
  private baseOrder = false;

  constructor(
    private readonly limits: XmlReaderLimits,
    expectedBytes: number,
  ) {
    this.sink = new ByteSink(expectedBytes);
    const parser = this.parser;
    // Five handlers, no more: with seven (an 'error' and an 'xmldecl' handler besides these) V8
    // turned the parser object slow and saxes read 1 MB of EPCIS XML (bench/xml's document, node
    // 20) in 62 ms instead of 11. Without an error handler saxes throws, and parsing() words it;
    // the XML declaration is read from parser.xmlDecl when the root element opens.
    parser.on('doctype', (doctype) => {
      // `<!DOCTYPE project>` (GS1's own examples carry it) declares nothing; anything more (an
      // internal subset, SYSTEM or PUBLIC) could declare entities, and is refused unread.
      if (!DOCTYPE_WITHOUT_DECLARATIONS.test(doctype))
        throw new XmlInputError(
          'unreadable',
          '',
          'a DOCTYPE with declarations (DTD, entities) is not accepted',
        );
    });
    parser.on('opentag', (tag) => this.open(tag as SaxesTagNS));
    parser.on('closetag', () => this.close());
    parser.on('text', (text) => this.text(text));
    parser.on('cdata', (text) => this.text(text));
  }

  write(chunk: Uint8Array): void {
    this.feed(this.decodeChunk(chunk, true));
  }

  end(): XmlConversion {
    this.feed(this.decodeChunk(new Uint8Array(0), false));
    this.parsing(() => this.parser.close());
    if (this.kind === null) throw new XmlInputError('unreadable', '', 'the body holds no XML element');
    return {
      documentKind: this.kind,
      json: this.sink.bytes(),
      eventPaths: this.eventPaths,
      wrapped: this.wrapped,
    };
  }

  private decodeChunk(chunk: Uint8Array, stream: boolean): string {
    try {
      return this.decoder.decode(chunk, { stream });
    } catch {
      throw new XmlInputError('unreadable', this.currentPath(), 'the body is not valid UTF-8');
    }
  }

  private feed(text: string): void {
    if (text !== '') this.parsing(() => this.parser.write(text));
  }

  /** Runs the parser; what it throws of its own (a plain Error) means the XML is not well-formed. */
  private parsing(step: () => void): void {
    try {
      step();
    } catch (error) {
      if (error instanceof Error && error.constructor === Error)
        throw new XmlInputError(
          'unreadable',
          this.currentPath(),
          `the XML is not well-formed: ${error.message}`,
        );
      throw error;
    }
  }

  private currentPath(): string {
    if (this.nodes.length === 0) return this.frames.at(-1)?.path ?? '';
    let path = this.eventPath;
    for (let i = 1; i < this.nodes.length; i++) path += `/${this.nodes[i]!.name}`;
    return path;
  }

  private open(tag: SaxesTagNS): void {
    if (++this.depth > this.limits.maxDepth)
      throw new XmlInputError(
        'unreadable',
        this.currentPath(),
        `elements are nested deeper than ${this.limits.maxDepth} levels (XML_MAX_DEPTH)`,
      );
    if (this.nodes.length > 0) {
      const node = toNode(tag);
      this.nodes.at(-1)!.children.push(node);
      this.nodes.push(node);
      return;
    }
    const parent = this.frames.at(-1);
    const path = childPath(parent, tag.name);
    if (parent === undefined) return this.openRoot(tag, path);
    const role = this.roleOf(parent.role, tag, path);
    if (role === 'event') return this.openEvent(tag, path);
    this.frames.push({ role, path });
    if (role === 'eventList')
      this.emit(this.kind === 'EPCISDocument' ? ',"epcisBody":{"eventList":[' : '"eventList":[');
    else if (role === 'queryResults') this.openQueryResults();
    else if (role === 'resultsBody') this.emit(`${this.queryMembers++ > 0 ? ',' : ''}"resultsBody":{`);
    else if (role === 'queryText') this.queryText = '';
  }

  private openQueryResults(): void {
    this.resultsOpened = true;
    this.emit(',"epcisBody":{"queryResults":{');
  }

  /**
   * Ends queryResults. Without a queryName (OpenEPCIS's query examples leave it out, against the
   * XSD) the results are taken as SimpleEventQuery's, the one event query EPCIS defines: capture
   * keeps the events only.
   */
  private closeQueryResults(): void {
    if (!this.sawQueryName) this.emit(`${this.queryMembers++ > 0 ? ',' : ''}"queryName":"SimpleEventQuery"`);
    this.emit('}}');
  }

  private openRoot(tag: SaxesTagNS, path: string): void {
    const encoding = this.parser.xmlDecl.encoding;
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding))
      throw new XmlInputError('unreadable', '', `encoding="${encoding}" is not supported; send UTF-8`);
    const epcis = isEpcisName(tag.uri);
    if (epcis && EVENT_TYPES.has(tag.local)) {
      this.kind = 'Event';
      return this.openEvent(tag, path);
    }
    if (!epcis || (tag.local !== 'EPCISDocument' && tag.local !== 'EPCISQueryDocument'))
      throw new XmlInputError(
        'invalid',
        path,
        `<${tag.name}> is not an EPCISDocument, an EPCISQueryDocument or an EPCIS event`,
      );
    this.kind = tag.local;
    this.baseOrder = tag.local === 'EPCISDocument' && tag.uri === EPCIS_2_NS;
    for (const [prefix, uri] of Object.entries(tag.ns))
      if (isPlainPrefix(prefix, uri)) this.documentContext.set(prefix, uri);
    const creationDate = tag.attributes['creationDate']?.value;
    this.emit(
      `{"@context":${contextJson(this.documentContext)},"type":"${tag.local}","schemaVersion":"2.0"` +
        (creationDate === undefined ? '' : `,"creationDate":${JSON.stringify(creationDate.trim())}`),
    );
    this.frames.push({ role: tag.local === 'EPCISDocument' ? 'document' : 'queryDocument', path });
  }

  /** What a child of a document-structure element is; unknown EPCIS names are refused. */
  private roleOf(parent: Role, tag: SaxesTagNS, path: string): Role | 'event' {
    if (parent === 'skip') return 'skip';
    // Elements of other namespaces around the events (a repository's own header fields) carry no events.
    if (!isEpcisName(tag.uri)) return 'skip';
    const name = tag.local;
    switch (parent) {
      case 'document':
      case 'queryDocument':
        if (name === 'EPCISHeader' || name === 'extension') return 'skip';
        if (name === 'EPCISBody') return 'body';
        // Some producers leave out EPCISBody/QueryResults (RalphTro's epcisXmlQueryDocWithCustomExtensions).
        if (parent === 'queryDocument' && !this.resultsOpened && QUERY_RESULTS_MEMBERS.has(name)) {
          this.openQueryResults();
          this.frames.at(-1)!.role = 'queryResults';
          return this.roleOf('queryResults', tag, path);
        }
        break;
      case 'body':
        if (name === 'extension') return 'skip';
        if (name === 'EventList' && this.kind === 'EPCISDocument') return 'eventList';
        if (name === 'QueryResults' && this.kind === 'EPCISQueryDocument') return 'queryResults';
        break;
      case 'queryResults':
        if (name === 'queryName' || name === 'subscriptionID') return 'queryText';
        if (name === 'resultsBody') return 'resultsBody';
        if (name === 'extension') return 'skip';
        break;
      case 'resultsBody':
        if (name === 'EventList') return 'eventList';
        // Master data answers (VocabularyList) are not events.
        if (name === 'VocabularyList') return 'skip';
        break;
      case 'eventList':
      case 'eventListExtension':
        if (EVENT_TYPES.has(name)) return 'event';
        // 1.2 puts TransformationEvent (and 2.0 additions) inside EventList's <extension>.
        if (name === 'extension') return 'eventListExtension';
        break;
      default:
        break;
    }
    throw new XmlInputError('invalid', path, `<${tag.name}> is not an element EPCIS defines here`);
  }

  private openEvent(tag: SaxesTagNS, path: string): void {
    if (this.eventPaths.length >= this.limits.maxEvents)
      throw new XmlInputError(
        'too-many-events',
        path,
        `the document holds more than ${this.limits.maxEvents} events (GS1-EPCIS-Capture-Limit)`,
      );
    const node = toNode(tag);
    this.nodes = [node];
    this.eventPath = path;
    this.eventScope = this.scopeAt(tag);
  }

  /** Namespace prefixes in scope at the event (for CURIE values that name them). */
  private scopeAt(tag: SaxesTagNS): Map<string, string> {
    const scope = new Map<string, string>();
    for (const prefix of Object.keys(tag.ns)) scope.set(prefix, tag.ns[prefix]!);
    for (const prefix of this.documentContext.keys())
      if (!scope.has(prefix)) scope.set(prefix, this.documentContext.get(prefix)!);
    return scope;
  }

  private text(text: string): void {
    if (this.nodes.length > 0) this.nodes.at(-1)!.text += text;
    else if (this.frames.at(-1)?.role === 'queryText') this.queryText += text;
  }

  private close(): void {
    this.depth--;
    if (this.nodes.length > 1) {
      this.nodes.pop();
      return;
    }
    if (this.nodes.length === 1) return this.closeEvent();
    const frame = this.frames.pop()!;
    switch (frame.role) {
      case 'eventList':
        this.emit(this.kind === 'EPCISDocument' ? ']}' : ']');
        return;
      case 'resultsBody':
        return this.emit('}');
      case 'queryResults':
        // The document element itself when it stood in for QueryResults.
        this.closeQueryResults();
        if (this.frames.length === 0) this.emit('}');
        return;
      case 'queryText': {
        const name = frame.path.slice(frame.path.lastIndexOf('/') + 1);
        const local = name.slice(name.indexOf(':') + 1);
        if (local === 'queryName') this.sawQueryName = true;
        this.emit(`${this.queryMembers++ > 0 ? ',' : ''}"${local}":${JSON.stringify(this.queryText.trim())}`);
        return;
      }
      case 'document':
      case 'queryDocument':
        return this.emit('}');
      default:
        return;
    }
  }

  private closeEvent(): void {
    const node = this.nodes[0]!;
    this.nodes = [];
    const ctx = new EventContext(this.documentContext, this.eventScope);
    const { json, wrapped } = eventToJson(node, this.eventPath, ctx, { baseOrder: this.baseOrder });
    const own = ctx.entries();
    this.eventPaths.push(this.eventPath);
    this.wrapped.push(wrapped);
    if (this.kind === 'Event') {
      const context = new Map([...this.documentContext, ...Object.entries(own ?? {})]);
      this.emit(JSON.stringify({ '@context': JSON.parse(contextJson(context)) as unknown, ...json }));
      return;
    }
    const text = JSON.stringify(own === null ? json : { '@context': own, ...json });
    this.emit(this.firstEvent ? text : `,${text}`);
    this.firstEvent = false;
  }

  private emit(text: string): void {
    this.sink.write(text);
  }
}

function toNode(tag: SaxesTagNS): XmlNode {
  const attributes: XmlNode['attributes'] = [];
  for (const name of Object.keys(tag.attributes)) {
    const attribute = tag.attributes[name]!;
    if (attribute.uri === XMLNS_NS || name === 'xmlns') continue;
    attributes.push({
      uri: attribute.uri,
      prefix: attribute.prefix,
      local: attribute.local,
      value: attribute.value,
    });
  }
  return {
    uri: tag.uri,
    prefix: tag.prefix,
    local: tag.local,
    name: tag.name,
    attributes,
    children: [],
    text: '',
  };
}

/** `parent/name`, numbered (`name[2]`) under EventList, where events are told apart by position. */
function childPath(parent: Frame | undefined, name: string): string {
  if (parent === undefined) return `/${name}`;
  if (parent.role !== 'eventList' && parent.role !== 'eventListExtension') return `${parent.path}/${name}`;
  parent.seen ??= new Map();
  const n = (parent.seen.get(name) ?? 0) + 1;
  parent.seen.set(name, n);
  return `${parent.path}/${name}[${n}]`;
}

function contextJson(prefixes: ReadonlyMap<string, string>): string {
  const url = JSON.stringify(EPCIS_CONTEXT_URL);
  return prefixes.size === 0 ? `[${url}]` : `[${url},${JSON.stringify(Object.fromEntries(prefixes))}]`;
}
