// The converted JSON, written into one growing buffer: a document is held once as JSON text (the
// XML itself streams through and is never kept), and growth doubles, so a 16 MiB answer costs a
// handful of copies rather than a chunk list plus a final concatenation.

export class ByteSink {
  private buffer: Buffer;
  private length = 0;

  constructor(initialBytes: number) {
    this.buffer = Buffer.allocUnsafe(Math.max(1024, initialBytes));
  }

  write(text: string): void {
    const needed = this.length + Buffer.byteLength(text);
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    this.length += this.buffer.write(text, this.length, 'utf8');
  }

  /** The bytes written; the sink must not be written to afterwards. */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}
