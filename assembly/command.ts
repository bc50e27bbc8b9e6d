// The WASI command entry: one document on stdin, its capture result on stdout, exactly the bytes
// prepare() leaves in the output buffer in library use. Runs under WasmEdge with no host code.
import { output, reserveInput } from './abi/buffers';
import { CaptureLimits } from './capture/limits';
import { prepareDocument } from './capture/prepare-document';
import { writeCaptureResult } from './capture/result-writer';
import { STDERR, STDIN, STDOUT, commandArguments, readSome, writeAll } from './platform/wasi';

const commandLimits = new CaptureLimits();

/** Reads stdin to the end, at most maxBytes + 1 bytes (one more than allowed, to detect excess). */
function readStdin(maxBytes: i32): i32 {
  let capacity: i32 = 1 << 16;
  let ptr = reserveInput(capacity);
  let length: i32 = 0;
  while (length <= maxBytes) {
    if (length == capacity) {
      capacity <<= 1;
      ptr = reserveInput(capacity);
    }
    const n = readSome(STDIN, ptr + <usize>length, <usize>(capacity - length));
    if (n < 0) return -1;
    if (n == 0) break;
    length += <i32>n;
  }
  return length;
}

function complain(text: string): void {
  const message = String.UTF8.encode('tracker.wasm: ' + text + '\n');
  writeAll(STDERR, changetype<usize>(message), <usize>message.byteLength);
}

/**
 * `tracker.wasm [--repeat N]`: with --repeat the document is processed N times and the result of
 * the last run printed. Timing a run with N and with 1 gives the per-document cost inside WasmEdge
 * without the process start (bench/core uses this).
 */
function repeatCount(): i32 {
  const args = commandArguments();
  for (let i = 1; i + 1 < args.length; i++) {
    if (args[i] == '--repeat') {
      const n = I32.parseInt(args[i + 1]);
      return n >= 1 ? n : 1;
    }
  }
  return 1;
}

export function _start(): void {
  const repeat = repeatCount();
  const length = readStdin(commandLimits.maxDocumentBytes);
  if (length < 0) {
    complain('cannot read stdin');
    return;
  }
  for (let run = 0; run < repeat; run++) {
    const batch = prepareDocument(reserveInput(0), length, commandLimits);
    batch.digests.release();
    if (run + 1 < repeat) {
      __collect();
      continue;
    }
    output.reset();
    writeCaptureResult(output, batch, false);
    output.byte(0x0a);
    writeAll(STDOUT, output.ptr, <usize>output.length);
  }
}
