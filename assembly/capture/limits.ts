// Bounds on what one call may ask of the core, set by the host from its configuration. They keep
// memory bounded for hostile input: a document over the limits is refused before it is parsed.
export class CaptureLimits {
  maxDocumentBytes: i32 = 64 << 20;
  maxEvents: i32 = 10000;
  maxDepth: i32 = 64;
  maxIssues: i32 = 1000;
}
