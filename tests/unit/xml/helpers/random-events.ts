// Random valid EPCIS events as a model, and the model rendered as an EPCIS 2.0 JSON-LD document and
// as EPCIS XML (2.0, or 1.2 with its <extension> wrappers), with everything a rendering may choose
// freely chosen at random: namespace prefixes and where they are declared, the order of user
// extension elements (xsd:any) and of JSON members, CBV values as URNs or GS1 URIs, the time zone
// an instant is written in, the spelling of a decimal, whitespace between elements.
import fc from 'fast-check';

export type EventType =
  'ObjectEvent' | 'AggregationEvent' | 'TransactionEvent' | 'TransformationEvent' | 'AssociationEvent';

/** A user extension element: text, repeated text (two or more), or child elements. */
export interface Extension {
  ns: number;
  local: string;
  value: string | string[] | Extension[];
}

interface Typed {
  type: string;
  value: string;
}

interface Quantity {
  epcClass: string;
  /** Hundredths, so that every spelling of the decimal is exact. */
  centi: number;
  uom: string | null;
}

export interface EventModel {
  type: EventType;
  eventTimeMs: number;
  offset: string;
  eventId: string | null;
  parentId: string | null;
  epcs: string[];
  outputEpcs: string[];
  action: 'ADD' | 'OBSERVE' | 'DELETE';
  bizStep: string | null;
  disposition: string | null;
  readPoint: string | null;
  bizLocation: string | null;
  bizTransactions: Typed[];
  quantities: Quantity[];
  sources: Typed[];
  destinations: Typed[];
  ilmd: Extension[];
  extensions: Extension[];
  errorDeclaration: ErrorDeclaration | null;
  sensors: Sensor[];
}

interface ErrorDeclaration {
  declarationTimeMs: number;
  reason: string;
  correctiveEventIds: string[];
}

interface Sensor {
  timeMs: number;
  deviceId: string;
  /** Temperature readings in hundredths of a degree. */
  readings: number[];
}

/** User namespaces; each rendering picks its own prefixes for them. */
export const NAMESPACES = [
  'https://ns.example.com/epcis/',
  'urn:example:acme:',
  'http://vendor.example.org/ext#',
];
const PREFIXES = ['ex', 'acme', 'v', 'p1', 'ext', 'my'];
const LOCALS = ['batch', 'note', 'grade', 'colour', 'level', 'origin', 'sensorRef'];
const BIZ_STEPS = ['shipping', 'receiving', 'commissioning', 'packing', 'inspecting'];
const DISPOSITIONS = ['in_transit', 'in_progress', 'active', 'damaged'];
const OFFSETS = ['+00:00', '+01:00', '-05:00', '+05:30', '+14:00', '-12:00'];
const T0 = Date.UTC(2024, 0, 1);

const sgtin = (n: number) => `urn:epc:id:sgtin:0614141.107346.${n}`;
const sgln = (n: number) => `urn:epc:id:sgln:0614141.00${String(n).padStart(3, '0')}.0`;

// Text without leading or trailing whitespace (XML readers trim it), with XML's special characters.
const text = fc
  .stringMatching(/^[A-Za-z0-9][A-Za-z0-9 &<>"'.:/-]{0,12}$/)
  .map((s) => s.trimEnd())
  .filter((s) => s.length > 0);

const extensionsOf = (node: fc.Arbitrary<Extension>) =>
  fc.uniqueArray(node, { minLength: 1, maxLength: 3, selector: (e) => `${e.ns}:${e.local}` });

const { extension } = fc.letrec<{ extension: Extension }>((tie) => ({
  extension: fc.record({
    ns: fc.nat({ max: NAMESPACES.length - 1 }),
    local: fc.constantFrom(...LOCALS),
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 2 },
      text,
      fc.array(text, { minLength: 2, maxLength: 3 }),
      extensionsOf(tie('extension')),
    ),
  }),
}));

const typed = (types: readonly string[], value: fc.Arbitrary<string>) =>
  fc.record({ type: fc.constantFrom(...types), value });

const quantity = fc.record({
  epcClass: fc.nat({ max: 999 }).map((n) => `urn:epc:class:lgtin:4012345.012345.${n}`),
  centi: fc.integer({ min: 1, max: 100_000 }),
  uom: fc.option(fc.constantFrom('KGM', 'LTR'), { nil: null }),
});

const serials = (min: number) => fc.uniqueArray(fc.nat({ max: 9999 }), { minLength: min, maxLength: 3 });

export const eventModel: fc.Arbitrary<EventModel> = fc
  .record({
    type: fc.constantFrom<EventType>(
      'ObjectEvent',
      'AggregationEvent',
      'TransactionEvent',
      'TransformationEvent',
      'AssociationEvent',
    ),
    eventTimeMs: fc.integer({ min: 0, max: 3 * 365 * 86_400_000 }).map((ms) => T0 + ms),
    offset: fc.constantFrom(...OFFSETS),
    eventId: fc.option(
      fc.uuid().map((u) => `urn:uuid:${u}`),
      { nil: null },
    ),
    parent: fc.nat({ max: 999 }),
    serials: serials(1),
    outputSerials: serials(1),
    action: fc.constantFrom<EventModel['action']>('ADD', 'OBSERVE', 'DELETE'),
    bizStep: fc.option(fc.constantFrom(...BIZ_STEPS), { nil: null }),
    disposition: fc.option(fc.constantFrom(...DISPOSITIONS), { nil: null }),
    readPoint: fc.option(fc.nat({ max: 99 }).map(sgln), { nil: null }),
    bizLocation: fc.option(fc.nat({ max: 99 }).map(sgln), { nil: null }),
    bizTransactions: fc.uniqueArray(
      typed(
        ['po', 'desadv', 'inv'],
        fc.nat({ max: 9999 }).map((n) => `urn:epcglobal:cbv:bt:0614141073467:${n}`),
      ),
      { maxLength: 2, selector: (t) => t.value },
    ),
    quantities: fc.uniqueArray(quantity, { maxLength: 2, selector: (q) => q.epcClass }),
    sources: fc.uniqueArray(
      typed(
        ['owning_party', 'possessing_party'],
        fc.nat({ max: 99 }).map((n) => `urn:epc:id:pgln:0614141.${String(n).padStart(5, '0')}`),
      ),
      { maxLength: 2, selector: (t) => t.type },
    ),
    destinations: fc.uniqueArray(typed(['location'], fc.nat({ max: 99 }).map(sgln)), {
      maxLength: 1,
      selector: (t) => t.type,
    }),
    ilmd: fc.option(extensionsOf(extension), { nil: null }),
    extensions: fc.option(extensionsOf(extension), { nil: null }),
    errorDeclaration: fc.option(
      fc.record({
        declarationTimeMs: fc
          .integer({ min: 0, max: 86_400_000 })
          .map((ms) => T0 + 3 * 365 * 86_400_000 + ms),
        reason: fc.constantFrom('incorrect_data', 'did_not_occur'),
        correctiveEventIds: fc.uniqueArray(
          fc.uuid().map((u) => `urn:uuid:${u}`),
          { maxLength: 2 },
        ),
      }),
      { nil: null },
    ),
    sensors: fc.array(
      fc.record({
        timeMs: fc.integer({ min: 0, max: 86_400_000 }).map((ms) => T0 + ms),
        deviceId: fc.nat({ max: 999 }).map((n) => `urn:epc:id:giai:4000001.${n}`),
        readings: fc.array(fc.integer({ min: -4000, max: 6000 }), { minLength: 1, maxLength: 3 }),
      }),
      { maxLength: 2 },
    ),
  })
  .map((r): EventModel => {
    const hasParent = r.type === 'AggregationEvent' || r.type === 'AssociationEvent';
    const transaction = r.type === 'TransactionEvent';
    return {
      type: r.type,
      eventTimeMs: r.eventTimeMs,
      offset: r.offset,
      eventId: r.eventId,
      parentId: hasParent ? `urn:epc:id:sscc:0614141.${String(r.parent).padStart(10, '0')}` : null,
      epcs: r.serials.map(sgtin),
      outputEpcs: r.type === 'TransformationEvent' ? r.outputSerials.map((n) => sgtin(50_000 + n)) : [],
      action: r.action,
      bizStep: r.bizStep,
      disposition: r.disposition,
      readPoint: r.readPoint,
      bizLocation: r.bizLocation,
      // A TransactionEvent needs one; the others may have none.
      bizTransactions:
        transaction && r.bizTransactions.length === 0
          ? [{ type: 'po', value: 'urn:epcglobal:cbv:bt:0614141073467:1' }]
          : r.bizTransactions,
      quantities: r.quantities,
      sources: r.sources,
      destinations: r.destinations,
      // ILMD belongs to the events that create objects.
      ilmd:
        (r.type === 'ObjectEvent' && r.action === 'ADD') || r.type === 'TransformationEvent'
          ? (r.ilmd ?? [])
          : [],
      extensions: r.extensions ?? [],
      // An error declaration names the event it corrects by its eventID.
      errorDeclaration: r.eventId === null ? null : r.errorDeclaration,
      sensors: r.sensors,
    };
  });

/** What one rendering chooses freely. */
export interface RenderingChoices {
  /** A prefix per namespace (distinct). */
  prefixes: string[];
  /** Seed of the order of user extension elements / JSON members. */
  seed: number;
  /** Declare the namespaces on the document element, on each event, or on each element using one. */
  declareAt: 'document' | 'event' | 'element';
  /** Write CBV values as urn:epcglobal:cbv:… URNs or as GS1 web URIs (https://ref.gs1.org/cbv/…). */
  cbvAs: 'urn' | 'uri';
  /** Whitespace between elements. */
  indent: '' | '\n  ';
  /** Write instants in the event's own time zone (else in UTC). */
  localTime: boolean;
  /** Write decimals with trailing zeros (12.50 for 12.5). */
  paddedDecimals: boolean;
}

export const renderingChoices: fc.Arbitrary<RenderingChoices> = fc.record({
  prefixes: fc.shuffledSubarray(PREFIXES, { minLength: NAMESPACES.length, maxLength: NAMESPACES.length }),
  seed: fc.integer(),
  declareAt: fc.constantFrom('document', 'event', 'element'),
  cbvAs: fc.constantFrom('urn', 'uri'),
  indent: fc.constantFrom('', '\n  '),
  localTime: fc.boolean(),
  paddedDecimals: fc.boolean(),
});

/** A deterministic shuffle (mulberry32), so a counterexample replays from its seed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function instant(ms: number, offset: string, local: boolean): string {
  if (!local) return new Date(ms).toISOString();
  const sign = offset.startsWith('-') ? -1 : 1;
  const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  return `${new Date(ms + minutes * 60_000).toISOString().slice(0, -1)}${offset}`;
}

const decimal = (centi: number, padded: boolean) => (padded ? (centi / 100).toFixed(2) : String(centi / 100));

// ---------------------------------------------------------------------------------------------
// JSON-LD

type Json = Record<string, unknown>;

function extensionsJson(extensions: readonly Extension[], prefixes: readonly string[]): Json {
  const out: Json = {};
  for (const e of extensions) {
    const key = `${prefixes[e.ns]}:${e.local}`;
    out[key] =
      typeof e.value === 'string' || typeof e.value[0] === 'string'
        ? e.value
        : extensionsJson(e.value as Extension[], prefixes);
  }
  return out;
}

function eventJson(event: EventModel, choices: RenderingChoices): Json {
  const out: Json = {
    type: event.type,
    eventTime: instant(event.eventTimeMs, event.offset, choices.localTime),
    eventTimeZoneOffset: event.offset,
  };
  if (event.eventId !== null) out['eventID'] = event.eventId;
  const declared = event.errorDeclaration;
  if (declared !== null)
    out['errorDeclaration'] = {
      declarationTime: instant(declared.declarationTimeMs, event.offset, choices.localTime),
      reason: declared.reason,
      ...(declared.correctiveEventIds.length === 0
        ? {}
        : { correctiveEventIDs: declared.correctiveEventIds }),
    };
  if (event.parentId !== null) out['parentID'] = event.parentId;
  const epcMember = {
    ObjectEvent: 'epcList',
    TransactionEvent: 'epcList',
    AggregationEvent: 'childEPCs',
    AssociationEvent: 'childEPCs',
    TransformationEvent: 'inputEPCList',
  }[event.type];
  out[epcMember] = event.epcs;
  if (event.type === 'TransformationEvent') out['outputEPCList'] = event.outputEpcs;
  else out['action'] = event.action;
  if (event.bizStep !== null) out['bizStep'] = event.bizStep;
  if (event.disposition !== null) out['disposition'] = event.disposition;
  if (event.readPoint !== null) out['readPoint'] = { id: event.readPoint };
  if (event.bizLocation !== null) out['bizLocation'] = { id: event.bizLocation };
  if (event.bizTransactions.length > 0)
    out['bizTransactionList'] = event.bizTransactions.map((t) => ({ type: t.type, bizTransaction: t.value }));
  if (event.quantities.length > 0) {
    const member = {
      ObjectEvent: 'quantityList',
      TransactionEvent: 'quantityList',
      AggregationEvent: 'childQuantityList',
      AssociationEvent: 'childQuantityList',
      TransformationEvent: 'inputQuantityList',
    }[event.type];
    out[member] = event.quantities.map((q) => ({
      epcClass: q.epcClass,
      quantity: q.centi / 100,
      ...(q.uom === null ? {} : { uom: q.uom }),
    }));
  }
  if (event.sources.length > 0)
    out['sourceList'] = event.sources.map((t) => ({ type: t.type, source: t.value }));
  if (event.destinations.length > 0)
    out['destinationList'] = event.destinations.map((t) => ({ type: t.type, destination: t.value }));
  if (event.sensors.length > 0)
    out['sensorElementList'] = event.sensors.map((sensor) => ({
      sensorMetadata: {
        time: instant(sensor.timeMs, event.offset, choices.localTime),
        deviceID: sensor.deviceId,
      },
      sensorReport: sensor.readings.map((centi) => ({ type: 'Temperature', value: centi / 100, uom: 'CEL' })),
    }));
  if (event.ilmd.length > 0) out['ilmd'] = extensionsJson(event.ilmd, choices.prefixes);
  Object.assign(out, extensionsJson(event.extensions, choices.prefixes));
  // JSON members have no order: any order is the same event.
  const keys = shuffled(Object.keys(out), choices.seed);
  return Object.fromEntries(keys.map((key) => [key, out[key]]));
}

export function jsonDocument(events: readonly EventModel[], choices: RenderingChoices): string {
  const context = Object.fromEntries(NAMESPACES.map((uri, i) => [choices.prefixes[i]!, uri]));
  return JSON.stringify({
    '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld', context],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: '2026-01-01T00:00:00Z',
    epcisBody: { eventList: events.map((event) => eventJson(event, choices)) },
  });
}

// ---------------------------------------------------------------------------------------------
// XML

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CBV_URN = {
  bizStep: 'urn:epcglobal:cbv:bizstep:',
  disposition: 'urn:epcglobal:cbv:disp:',
  btt: 'urn:epcglobal:cbv:btt:',
  sdt: 'urn:epcglobal:cbv:sdt:',
  er: 'urn:epcglobal:cbv:er:',
};
const CBV_URI = {
  bizStep: 'https://ref.gs1.org/cbv/BizStep-',
  disposition: 'https://ref.gs1.org/cbv/Disp-',
  btt: 'https://ref.gs1.org/cbv/BTT-',
  sdt: 'https://ref.gs1.org/cbv/SDT-',
  er: 'https://ref.gs1.org/cbv/ER-',
};

class XmlWriter {
  constructor(
    private readonly choices: RenderingChoices,
    private readonly version: '2.0' | '1.2',
  ) {}

  private get indent(): string {
    return this.choices.indent;
  }

  private cbv(kind: keyof typeof CBV_URN, word: string): string {
    return (this.choices.cbvAs === 'urn' ? CBV_URN : CBV_URI)[kind] + word;
  }

  private leaf(name: string, value: string): string {
    return `${this.indent}<${name}>${escape(value)}</${name}>`;
  }

  private xmlns(ns: number): string {
    return ` xmlns:${this.choices.prefixes[ns]}="${NAMESPACES[ns]}"`;
  }

  /** Every namespace declaration, for the document element or an event. */
  allXmlns(): string {
    return NAMESPACES.map((_uri, ns) => this.xmlns(ns)).join('');
  }

  private extensions(extensions: readonly Extension[], seed: number): string {
    return shuffled(extensions, seed)
      .map((e, i) => {
        const name = `${this.choices.prefixes[e.ns]}:${e.local}`;
        const declared = this.choices.declareAt === 'element' ? this.xmlns(e.ns) : '';
        const open = `${this.indent}<${name}${declared}>`;
        if (typeof e.value === 'string') return `${open}${escape(e.value)}</${name}>`;
        if (typeof e.value[0] === 'string')
          return (e.value as string[]).map((v) => `${open}${escape(v)}</${name}>`).join('');
        return `${open}${this.extensions(e.value as Extension[], seed + i + 1)}${this.indent}</${name}>`;
      })
      .join('');
  }

  private list(name: string, item: string, values: readonly string[]): string {
    return `${this.indent}<${name}>${values.map((v) => this.leaf(item, v)).join('')}${this.indent}</${name}>`;
  }

  private quantities(name: string, quantities: readonly Quantity[]): string {
    if (quantities.length === 0) return '';
    const items = quantities.map(
      (q) =>
        `${this.indent}<quantityElement>${this.leaf('epcClass', q.epcClass)}` +
        `${this.leaf('quantity', decimal(q.centi, this.choices.paddedDecimals))}` +
        `${q.uom === null ? '' : this.leaf('uom', q.uom)}</quantityElement>`,
    );
    return `${this.indent}<${name}>${items.join('')}</${name}>`;
  }

  private typed(list: string, item: string, kind: 'btt' | 'sdt', values: readonly Typed[]): string {
    if (values.length === 0) return '';
    const items = values.map(
      (t) => `${this.indent}<${item} type="${this.cbv(kind, t.type)}">${escape(t.value)}</${item}>`,
    );
    return `${this.indent}<${list}>${items.join('')}</${list}>`;
  }

  private where(event: EventModel): string {
    let out = '';
    if (event.bizStep !== null) out += this.leaf('bizStep', this.cbv('bizStep', event.bizStep));
    if (event.disposition !== null)
      out += this.leaf('disposition', this.cbv('disposition', event.disposition));
    if (event.readPoint !== null)
      out += `${this.indent}<readPoint>${this.leaf('id', event.readPoint)}</readPoint>`;
    if (event.bizLocation !== null)
      out += `${this.indent}<bizLocation>${this.leaf('id', event.bizLocation)}</bizLocation>`;
    return out;
  }

  private errorDeclaration(event: EventModel): string {
    const declared = event.errorDeclaration;
    if (declared === null) return '';
    const corrective =
      declared.correctiveEventIds.length === 0
        ? ''
        : this.list('correctiveEventIDs', 'correctiveEventID', declared.correctiveEventIds);
    return (
      `${this.indent}<errorDeclaration>` +
      this.leaf(
        'declarationTime',
        instant(declared.declarationTimeMs, event.offset, this.choices.localTime),
      ) +
      this.leaf('reason', this.cbv('er', declared.reason)) +
      `${corrective}${this.indent}</errorDeclaration>`
    );
  }

  private sensors(event: EventModel): string {
    if (event.sensors.length === 0) return '';
    const elements = event.sensors.map(
      (sensor) =>
        `${this.indent}<sensorElement>` +
        `<sensorMetadata time="${instant(sensor.timeMs, event.offset, this.choices.localTime)}" deviceID="${sensor.deviceId}"/>` +
        sensor.readings
          .map(
            (centi) =>
              `<sensorReport type="gs1:Temperature" value="${decimal(centi, this.choices.paddedDecimals)}" uom="CEL"/>`,
          )
          .join('') +
        '</sensorElement>',
    );
    return `${this.indent}<sensorElementList>${elements.join('')}</sensorElementList>`;
  }

  private ilmd(event: EventModel): string {
    return event.ilmd.length === 0
      ? ''
      : `${this.indent}<ilmd>${this.extensions(event.ilmd, this.choices.seed)}</ilmd>`;
  }

  /** The event's element in the XSD's order (2.0), or 1.2's with its extension wrappers. */
  event(event: EventModel): string {
    const v12 = this.version === '1.2';
    const base =
      (event.eventId === null ? '' : this.leaf('eventID', event.eventId)) + this.errorDeclaration(event);
    const head =
      this.leaf('eventTime', instant(event.eventTimeMs, event.offset, this.choices.localTime)) +
      this.leaf('eventTimeZoneOffset', event.offset) +
      // 1.2 added eventID and errorDeclaration in <baseExtension>.
      (v12 && base !== '' ? `${this.indent}<baseExtension>${base}</baseExtension>` : base);
    // 2.0 puts sensorElementList after the source and destination lists.
    const flows =
      this.typed('sourceList', 'source', 'sdt', event.sources) +
      this.typed('destinationList', 'destination', 'sdt', event.destinations) +
      this.sensors(event);
    const btl = this.typed('bizTransactionList', 'bizTransaction', 'btt', event.bizTransactions);
    const action = this.leaf('action', event.action);
    let body: string;
    switch (event.type) {
      case 'ObjectEvent': {
        const later = this.quantities('quantityList', event.quantities) + flows + this.ilmd(event);
        body = this.list('epcList', 'epc', event.epcs) + action + this.where(event) + btl + this.wrap(later);
        break;
      }
      case 'AggregationEvent': {
        const later = this.quantities('childQuantityList', event.quantities) + flows;
        body =
          this.leaf('parentID', event.parentId!) +
          this.list('childEPCs', 'epc', event.epcs) +
          action +
          this.where(event) +
          btl +
          this.wrap(later);
        break;
      }
      case 'TransactionEvent': {
        const later = this.quantities('quantityList', event.quantities) + flows;
        body = btl + this.list('epcList', 'epc', event.epcs) + action + this.where(event) + this.wrap(later);
        break;
      }
      case 'TransformationEvent':
        body =
          this.list('inputEPCList', 'epc', event.epcs) +
          this.quantities('inputQuantityList', event.quantities) +
          this.list('outputEPCList', 'epc', event.outputEpcs) +
          this.where(event) +
          btl +
          flows +
          this.ilmd(event);
        break;
      case 'AssociationEvent':
        body =
          this.leaf('parentID', event.parentId!) +
          this.list('childEPCs', 'epc', event.epcs) +
          this.quantities('childQuantityList', event.quantities) +
          action +
          this.where(event) +
          btl +
          flows;
        break;
    }
    const declared = this.choices.declareAt === 'event' ? this.allXmlns() : '';
    const element =
      `${this.indent}<${event.type}${declared}>${head}${body}` +
      `${this.extensions(event.extensions, this.choices.seed + 7)}${this.indent}</${event.type}>`;
    // 1.2 has TransformationEvent (and 2.0's AssociationEvent) only inside EventList's <extension>.
    return v12 && (event.type === 'TransformationEvent' || event.type === 'AssociationEvent')
      ? `${this.indent}<extension>${element}</extension>`
      : element;
  }

  /** 1.2 puts the fields added after 1.0 into the event's <extension>. */
  private wrap(fields: string): string {
    if (this.version === '2.0' || fields === '') return fields;
    return `${this.indent}<extension>${fields}${this.indent}</extension>`;
  }
}

export function xmlDocument(
  events: readonly EventModel[],
  choices: RenderingChoices,
  version: '2.0' | '1.2',
): string {
  const writer = new XmlWriter(choices, version);
  const declared = choices.declareAt === 'document' ? writer.allXmlns() : '';
  const ns = version === '2.0' ? 'urn:epcglobal:epcis:xsd:2' : 'urn:epcglobal:epcis:xsd:1';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<epcis:EPCISDocument xmlns:epcis="${ns}"${declared} schemaVersion="${version}" creationDate="2026-01-01T00:00:00Z">` +
    `<EPCISBody><EventList>${events.map((event) => writer.event(event)).join('')}</EventList></EPCISBody>` +
    '</epcis:EPCISDocument>'
  );
}
