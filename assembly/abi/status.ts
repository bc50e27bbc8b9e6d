// Status codes returned by every exported function of tracker.wasm. The host mirrors this enum in
// host/core/status.ts; a unit test compares the two through the exported `Status.*` globals, so a
// change here that is not made there fails the build instead of mistranslating errors.

export enum Status {
  /** Done; every event of the document was accepted. */
  Ok = 0,
  /** The document was processed but some events were rejected (see the issues in the result). */
  Partial = 1,
  /** Nothing was accepted: the document itself is unusable, or every event was rejected. */
  Rejected = 2,
  /** The input is larger than the configured maximum document size. */
  TooLarge = 3,
  /** The document holds more events than the configured capture limit. */
  TooManyEvents = 4,
  /** commit() or discard() was called with no prepared batch. */
  NoPendingBatch = 5,
  /** A lookup named something the index does not know. */
  NotFound = 6,
  /** An argument was out of range (e.g. a negative length). */
  BadArgument = 7,
}
