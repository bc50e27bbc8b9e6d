// The CBV 2.0 canonical property order (the reference generator's PROP_ORDER in
// epcis_event_hash_generator/__init__.py, upstream commit 084b003): which standard fields appear
// in the pre-hash, in what order, and how each one's value is canonicalised.
import { JsonValue } from '../json/value';
import { Vocab } from '../vocab/cbv';
import { ValueKind } from './prehash-values';

export enum FieldKind {
  /** `name=value`; an array gives one `name=value` per element, sorted. */
  Scalar = 0,
  /** `name` followed by its own fields in order (readPoint, sensorReport, …). */
  Object = 1,
  /** `name` followed by its items, sorted (epcList → `epc=…`, quantityList → `quantityElement…`). */
  List = 2,
}

export class FieldSpec {
  /** Fields of an Object; null otherwise. */
  children: Array<FieldSpec> | null = null;
  /** Position of each child by key, for one pass over an object's members. */
  childIndex: KeyIndex | null = null;
  /** One value per child, filled while this object renders and emptied afterwards. */
  slots: StaticArray<JsonValue | null> | null = null;
  /** How each item of a List prints; null otherwise. */
  item: FieldSpec | null = null;
  /**
   * bizTransactionList, sourceList, destinationList: the generator turns their items into
   * (type, value) pairs that never carry extensions or leftovers.
   */
  pairs: bool = false;
  /** `display=`, written before a scalar value. */
  prefix: string;

  constructor(
    public key: string,
    public kind: FieldKind,
    /** The name printed; CBV 2.0 prints no `sensorElementList` token (RI cbv_version.py). */
    public display: string,
    public value: ValueKind = ValueKind.Plain,
    public vocab: Vocab = Vocab.BizStep,
  ) {
    this.prefix = display + '=';
  }
}

/**
 * Key → position in a spec list, bucketed by key length: a lookup is one or two memory compares,
 * cheaper than hashing the key (this runs for every member of every event).
 */
export class KeyIndex {
  private buckets: StaticArray<Array<i32> | null> = new StaticArray<Array<i32> | null>(MAX_KEY_LENGTH + 1);

  constructor(private specs: Array<FieldSpec>) {
    // Checked accesses: a spec key longer than MAX_KEY_LENGTH fails at start-up, not silently.
    for (let i = 0, n = specs.length; i < n; i++) {
      const length = specs[i].key.length;
      let bucket = this.buckets[length];
      if (bucket === null) {
        bucket = new Array<i32>();
        this.buckets[length] = bucket;
      }
      bucket.push(i);
    }
  }

  /** Position of the spec named `key`, or -1. */
  find(key: string): i32 {
    const length = key.length;
    if (length > MAX_KEY_LENGTH) return -1;
    const bucket = unchecked(this.buckets[length]);
    if (bucket === null) return -1;
    for (let i = 0, n = bucket.length; i < n; i++) {
      const at = unchecked(bucket[i]);
      const name = unchecked(this.specs[at]).key;
      if (memory.compare(changetype<usize>(name), changetype<usize>(key), (<usize>length) << 1) == 0)
        return at;
    }
    return -1;
  }
}

const MAX_KEY_LENGTH = 32;

function scalar(key: string, value: ValueKind = ValueKind.Plain, vocab: Vocab = Vocab.BizStep): FieldSpec {
  return new FieldSpec(key, FieldKind.Scalar, key, value, vocab);
}

function time(key: string): FieldSpec {
  return scalar(key, ValueKind.Time);
}

function vocabulary(key: string, vocab: Vocab): FieldSpec {
  return scalar(key, ValueKind.Vocabulary, vocab);
}

function object(key: string, children: Array<FieldSpec>, display: string = key): FieldSpec {
  const spec = new FieldSpec(key, FieldKind.Object, display);
  spec.children = children;
  spec.childIndex = new KeyIndex(children);
  spec.slots = new StaticArray<JsonValue | null>(children.length);
  return spec;
}

function list(key: string, item: FieldSpec, display: string = key): FieldSpec {
  const spec = new FieldSpec(key, FieldKind.List, display);
  spec.item = item;
  return spec;
}

function epcs(key: string): FieldSpec {
  return list(key, scalar('epc'));
}

function quantities(key: string): FieldSpec {
  return list(key, object('quantityElement', [scalar('epcClass'), scalar('quantity'), scalar('uom')]));
}

/** Items print as `type=…` then the value, with no name of their own (type first: RI issue #80). */
function pairs(key: string, valueKey: string, typeVocab: Vocab): FieldSpec {
  const spec = list(key, object('', [vocabulary('type', typeVocab), scalar(valueKey)]));
  spec.pairs = true;
  return spec;
}

const SENSOR_METADATA: Array<FieldSpec> = [
  time('time'),
  time('startTime'),
  time('endTime'),
  scalar('deviceID'),
  scalar('deviceMetadata'),
  scalar('rawData'),
  scalar('dataProcessingMethod'),
  scalar('bizRules'),
];

// No bizRules here: the CBV 2.0 order lists none for sensorReport, so a report's bizRules is left
// over like an unknown member (see prehash-leftovers.ts).
const SENSOR_REPORT: Array<FieldSpec> = [
  vocabulary('type', Vocab.MeasurementType),
  vocabulary('exception', Vocab.SensorAlertType),
  scalar('deviceID'),
  scalar('deviceMetadata'),
  scalar('rawData'),
  scalar('dataProcessingMethod'),
  time('time'),
  scalar('microorganism'),
  scalar('chemicalSubstance'),
  scalar('value'),
  vocabulary('component', Vocab.Component),
  scalar('stringValue'),
  scalar('booleanValue'),
  scalar('hexBinaryValue'),
  scalar('uriValue'),
  scalar('minValue'),
  scalar('maxValue'),
  scalar('meanValue'),
  scalar('sDev'),
  scalar('percRank'),
  scalar('percValue'),
  scalar('uom'),
  scalar('coordinateReferenceSystem'),
];

export const EVENT_FIELDS: Array<FieldSpec> = [
  time('eventTime'),
  scalar('eventTimeZoneOffset'),
  epcs('epcList'),
  scalar('parentID'),
  epcs('inputEPCList'),
  epcs('childEPCs'),
  quantities('quantityList'),
  quantities('childQuantityList'),
  quantities('inputQuantityList'),
  epcs('outputEPCList'),
  quantities('outputQuantityList'),
  scalar('action'),
  scalar('transformationID'),
  vocabulary('bizStep', Vocab.BizStep),
  vocabulary('disposition', Vocab.Disposition),
  object('persistentDisposition', [
    vocabulary('set', Vocab.Disposition),
    vocabulary('unset', Vocab.Disposition),
  ]),
  object('readPoint', [scalar('id')]),
  object('bizLocation', [scalar('id')]),
  pairs('bizTransactionList', 'bizTransaction', Vocab.BizTransactionType),
  pairs('sourceList', 'source', Vocab.SourceDestType),
  pairs('destinationList', 'destination', Vocab.SourceDestType),
  list(
    'sensorElementList',
    object('sensorElement', [
      object('sensorMetadata', SENSOR_METADATA),
      object('sensorReport', SENSOR_REPORT),
    ]),
    '',
  ),
];

export const EVENT_INDEX = new KeyIndex(EVENT_FIELDS);
/** The event's standard fields while buildPrehash runs (see FieldSpec.slots). */
export const EVENT_SLOTS = new StaticArray<JsonValue | null>(EVENT_FIELDS.length);
