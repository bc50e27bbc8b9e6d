// Mirror of assembly/abi/status.ts. tests/unit/core/abi-contract.test.ts compares these values
// with the `Status.*` globals the module exports, so the two cannot drift apart silently.
export enum CoreStatus {
  Ok = 0,
  Partial = 1,
  Rejected = 2,
  TooLarge = 3,
  TooManyEvents = 4,
  NoPendingBatch = 5,
  NotFound = 6,
  BadArgument = 7,
}
