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

/** An object keeps its members in document order; lookups scan, since EPCIS objects are small. */
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
    for (let i = 0, n = keys.length; i < n; i++) {
      if (unchecked(keys[i]) == key) return i;
    }
    return -1;
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
