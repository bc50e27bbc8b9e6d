// The parsed JSON document: a small tree of typed nodes. Every node remembers the byte range it
// came from so the host can store an event's original JSON text without re-serialising it.

export enum JsonKind {
  Null = 0,
  False = 1,
  True = 2,
  Number = 3,
  String = 4,
  Array = 5,
  Object = 6,
}

export class JsonValue {
  constructor(
    public kind: JsonKind,
    /** Byte offset of the first byte of this value in the input. */
    public start: i32,
    /** Byte offset one past the last byte of this value in the input. */
    public end: i32,
  ) {}

  @inline isNull(): bool {
    return this.kind == JsonKind.Null;
  }
  @inline isBool(): bool {
    return this.kind == JsonKind.True || this.kind == JsonKind.False;
  }
  @inline isNumber(): bool {
    return this.kind == JsonKind.Number;
  }
  @inline isString(): bool {
    return this.kind == JsonKind.String;
  }
  @inline isArray(): bool {
    return this.kind == JsonKind.Array;
  }
  @inline isObject(): bool {
    return this.kind == JsonKind.Object;
  }

  /** The string value, or null when this is not a string. */
  asString(): string | null {
    return this.kind == JsonKind.String ? changetype<JsonString>(this).value : null;
  }
  asNumber(): JsonNumber | null {
    return this.kind == JsonKind.Number ? changetype<JsonNumber>(this) : null;
  }
  asArray(): JsonArray | null {
    return this.kind == JsonKind.Array ? changetype<JsonArray>(this) : null;
  }
  asObject(): JsonObject | null {
    return this.kind == JsonKind.Object ? changetype<JsonObject>(this) : null;
  }
}

export class JsonString extends JsonValue {
  constructor(
    public value: string,
    start: i32,
    end: i32,
  ) {
    super(JsonKind.String, start, end);
  }
}

export class JsonNumber extends JsonValue {
  constructor(
    /** The number exactly as written, so canonical forms never suffer a float round trip. */
    public raw: string,
    public value: f64,
    /** True when `raw` has no fraction and no exponent. */
    public isInteger: bool,
    start: i32,
    end: i32,
  ) {
    super(JsonKind.Number, start, end);
  }
}

export class JsonArray extends JsonValue {
  constructor(
    public items: Array<JsonValue>,
    start: i32,
    end: i32,
  ) {
    super(JsonKind.Array, start, end);
  }
  @inline get length(): i32 {
    return this.items.length;
  }
}

// Member lookups repeat: every event of a document asks for the same fields, and objects of one
// shape share one key array (json/container-stack.ts sharedKeys). A two-way memo of
// (key array, key) → position answers a repeated lookup without comparing strings (bench:core,
// 1000-event documents: string comparison in lookups was about a tenth of the capture time). An
// entry holds both references, so its addresses keep standing for the same array, which is never
// mutated once its object is built, and the same immutable string.
const LOOKUP_SLOTS: i32 = 1024;
const LOOKUP_SHIFT: u32 = 22; // 32 - log2(LOOKUP_SLOTS)
const lookupArrays = new StaticArray<Array<string> | null>(LOOKUP_SLOTS);
const lookupKeys = new StaticArray<string | null>(LOOKUP_SLOTS);
const lookupPositions = new StaticArray<i32>(LOOKUP_SLOTS);

/** The first slot of the two-way set of (keys, key). */
function lookupSlot(keys: Array<string>, key: string): i32 {
  const h = (<u32>changetype<usize>(keys) * 0x9e3779b1) ^ (<u32>changetype<usize>(key) * 0x85ebca6b);
  return (<i32>(h >>> LOOKUP_SHIFT)) & (LOOKUP_SLOTS - 2);
}

function isLookup(slot: i32, keys: Array<string>, key: string): bool {
  return (
    changetype<usize>(unchecked(lookupArrays[slot])) == changetype<usize>(keys) &&
    changetype<usize>(unchecked(lookupKeys[slot])) == changetype<usize>(key)
  );
}

/**
 * An object keeps its members in document order; lookups scan (EPCIS objects are small), behind a
 * memo of recent lookups. Its key array must never change after the parser built it.
 */
export class JsonObject extends JsonValue {
  constructor(
    public keys: Array<string>,
    public values: Array<JsonValue>,
    start: i32,
    end: i32,
  ) {
    super(JsonKind.Object, start, end);
  }

  @inline get size(): i32 {
    return this.keys.length;
  }

  indexOf(key: string): i32 {
    const keys = this.keys;
    // Two ways per set (slot, slot + 1), the newest first: about 60 (array, key) pairs are in use
    // while a document is captured, and direct-mapped, pairs that met in a slot missed every time
    // (a profile of one build spent 7% of prepare in this method, 1.2% with two ways).
    const slot = lookupSlot(keys, key);
    if (isLookup(slot, keys, key)) return unchecked(lookupPositions[slot]);
    if (isLookup(slot + 1, keys, key)) return unchecked(lookupPositions[slot + 1]);
    let at = -1;
    for (let i = 0, n = keys.length; i < n; i++) {
      if (unchecked(keys[i]) == key) {
        at = i;
        break;
      }
    }
    unchecked((lookupArrays[slot + 1] = unchecked(lookupArrays[slot])));
    unchecked((lookupKeys[slot + 1] = unchecked(lookupKeys[slot])));
    unchecked((lookupPositions[slot + 1] = unchecked(lookupPositions[slot])));
    unchecked((lookupArrays[slot] = keys));
    unchecked((lookupKeys[slot] = key));
    unchecked((lookupPositions[slot] = at));
    return at;
  }

  has(key: string): bool {
    return this.indexOf(key) >= 0;
  }

  get(key: string): JsonValue | null {
    const i = this.indexOf(key);
    return i < 0 ? null : unchecked(this.values[i]);
  }

  getString(key: string): string | null {
    const v = this.get(key);
    return v === null ? null : v.asString();
  }

  getObject(key: string): JsonObject | null {
    const v = this.get(key);
    return v === null ? null : v.asObject();
  }

  getArray(key: string): JsonArray | null {
    const v = this.get(key);
    return v === null ? null : v.asArray();
  }
}
