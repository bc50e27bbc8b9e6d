// The bare WASI-socket floor of the WasmEdge benchmark: the least an HTTP/1.1 server under WasmEdge
// can do with the same socket imports as tracker-server.wasm (assembly/platform/wasi-sockets.ts)
// and the same level-triggered poll_oneoff loop, so the benchmark can tell runtime cost from
// server cost. Every request is answered without looking at it: a POST with 201 and no body (read
// to its Content-Length), anything else with 200 and `--body-bytes` bytes of JSON (default the
// size of /health's answer). Keep-alive and pipelining; no GC use after start (unmanaged buffers).
// Usage: wasmedge hello-server.wasm --port 8080 [--body-bytes 20]
import { commandArguments, proc_exit } from '../../../assembly/platform/wasi';
import {
  ADDRESS_FAMILY_INET4,
  ERRNO_SUCCESS,
  EVENT_BYTES,
  EVENTTYPE_FD_READ,
  EVENTTYPE_FD_WRITE,
  FDFLAGS_NONBLOCK,
  SOCK_OPT_LEVEL_SOL_SOCKET,
  SOCK_OPT_SO_REUSEADDR,
  SOCK_TYPE_STREAM,
  SUBSCRIPTION_BYTES,
  fd_close,
  fd_fdstat_set_flags,
  poll_oneoff,
  sock_accept,
  sock_bind,
  sock_listen,
  sock_open,
  sock_recv,
  sock_send,
  sock_setsockopt,
} from '../../../assembly/platform/wasi-sockets';

const MAX_CONNECTIONS: i32 = 1024;
const BUFFER_BYTES: i32 = 65536;
const LISTENER: u64 = 0xffffffff;
const CELLS = memory.data(32);
const ADDRESS = memory.data(8);
const ADDRESS_BYTES = memory.data(4);

// Per-slot connection state in unmanaged arrays: fd (-1 free), input and output buffers and fills.
const fds = memory.data(MAX_CONNECTIONS * 4);
const inputs = memory.data(MAX_CONNECTIONS * 4);
const inputFill = memory.data(MAX_CONNECTIONS * 4);
const outputs = memory.data(MAX_CONNECTIONS * 4);
const outputFill = memory.data(MAX_CONNECTIONS * 4);
const subscriptions = heap.alloc(<usize>(MAX_CONNECTIONS + 1) * SUBSCRIPTION_BYTES);
const events = heap.alloc(<usize>(MAX_CONNECTIONS + 1) * EVENT_BYTES);

function slotGet(table: usize, slot: i32): i32 {
  return load<i32>(table + <usize>slot * 4);
}

function slotSet(table: usize, slot: i32, value: i32): void {
  store<i32>(table + <usize>slot * 4, value);
}

function bytesOf(text: string): usize {
  const encoded = String.UTF8.encode(text);
  const copy = heap.alloc(<usize>encoded.byteLength);
  memory.copy(copy, changetype<usize>(encoded), <usize>encoded.byteLength);
  return copy;
}

/** Offset just past the first CRLFCRLF in [start, end), or -1. */
function headEnd(start: usize, end: usize): i32 {
  for (let p = start; p + 3 < end; p++) {
    if (load<u32>(p) == 0x0a0d0a0d) return <i32>(p + 4 - start);
  }
  return -1;
}

/** The Content-Length field's value in a head (case-insensitive name), 0 when absent. */
function contentLength(start: usize, length: i32): i32 {
  const name = 'content-length:';
  for (let i = 0; i + name.length < length; i++) {
    if (i > 0 && load<u8>(start + <usize>i - 1) != 0x0a) continue;
    let match = true;
    for (let k = 0; k < name.length && match; k++) {
      match = (load<u8>(start + <usize>(i + k)) | 0x20) == <u8>name.charCodeAt(k);
    }
    if (!match) continue;
    let value = 0;
    for (let p = i + name.length; p < length; p++) {
      const c = load<u8>(start + <usize>p);
      if (c >= 0x30 && c <= 0x39) value = value * 10 + <i32>(c - 0x30);
      else if (c != 0x20) break;
    }
    return value;
  }
  return 0;
}

let getAnswer: usize = 0;
let getAnswerBytes: i32 = 0;
let postAnswer: usize = 0;
let postAnswerBytes: i32 = 0;

function closeSlot(slot: i32): void {
  fd_close(<u32>slotGet(fds, slot));
  heap.free(<usize>slotGet(inputs, slot));
  heap.free(<usize>slotGet(outputs, slot));
  slotSet(fds, slot, -1);
}

/** Answers every complete request in the slot's input; false when the connection must close. */
function answer(slot: i32): bool {
  const input = <usize>slotGet(inputs, slot);
  const output = <usize>slotGet(outputs, slot);
  let fill = slotGet(inputFill, slot);
  let out = slotGet(outputFill, slot);
  let at = 0;
  for (;;) {
    const head = headEnd(input + <usize>at, input + <usize>fill);
    if (head < 0) break;
    const body = contentLength(input + <usize>at, head);
    if (body > BUFFER_BYTES) return false;
    if (at + head + body > fill) break;
    const isPost = load<u32>(input + <usize>at) == 0x54534f50; // "POST"
    const bytes = isPost ? postAnswerBytes : getAnswerBytes;
    if (out + bytes > BUFFER_BYTES) break;
    memory.copy(output + <usize>out, isPost ? postAnswer : getAnswer, <usize>bytes);
    out += bytes;
    at += head + body;
  }
  if (at > 0) memory.copy(input, input + <usize>at, <usize>(fill - at));
  fill -= at;
  if (fill == BUFFER_BYTES) return false;
  slotSet(inputFill, slot, fill);
  slotSet(outputFill, slot, out);
  return true;
}

/** Sends what is pending; false when the peer is gone. */
function flush(slot: i32): bool {
  const output = <usize>slotGet(outputs, slot);
  const out = slotGet(outputFill, slot);
  if (out == 0) return true;
  store<u32>(CELLS, <u32>output, 0);
  store<u32>(CELLS, <u32>out, 4);
  const errno = sock_send(<u32>slotGet(fds, slot), CELLS, 1, 0, CELLS + 8);
  if (errno == 6) return true;
  if (errno != ERRNO_SUCCESS) return false;
  const sent = <i32>load<u32>(CELLS, 8);
  memory.copy(output, output + <usize>sent, <usize>(out - sent));
  slotSet(outputFill, slot, out - sent);
  return true;
}

function receive(slot: i32): bool {
  const fill = slotGet(inputFill, slot);
  store<u32>(CELLS, <u32>(<usize>slotGet(inputs, slot) + <usize>fill), 0);
  store<u32>(CELLS, <u32>(BUFFER_BYTES - fill), 4);
  const errno = sock_recv(<u32>slotGet(fds, slot), CELLS, 1, 0, CELLS + 8, CELLS + 12);
  if (errno == 6) return true;
  const got = <i32>load<u32>(CELLS, 8);
  if (errno != ERRNO_SUCCESS || got == 0) return false;
  slotSet(inputFill, slot, fill + got);
  return answer(slot) && flush(slot);
}

function acceptAll(listener: u32): void {
  while (sock_accept(listener, CELLS) == ERRNO_SUCCESS) {
    const fd = load<u32>(CELLS);
    let slot = 0;
    while (slot < MAX_CONNECTIONS && slotGet(fds, slot) >= 0) slot++;
    if (slot == MAX_CONNECTIONS || fd_fdstat_set_flags(fd, FDFLAGS_NONBLOCK) != ERRNO_SUCCESS) {
      fd_close(fd);
      continue;
    }
    slotSet(fds, slot, <i32>fd);
    slotSet(inputs, slot, <i32>heap.alloc(<usize>BUFFER_BYTES));
    slotSet(outputs, slot, <i32>heap.alloc(<usize>BUFFER_BYTES));
    slotSet(inputFill, slot, 0);
    slotSet(outputFill, slot, 0);
  }
}

function subscribe(index: i32, fd: i32, type: u8, userdata: u64): void {
  const sub = subscriptions + <usize>index * SUBSCRIPTION_BYTES;
  memory.fill(sub, 0, SUBSCRIPTION_BYTES);
  store<u64>(sub, userdata, 0);
  store<u8>(sub, type, 8);
  store<u32>(sub, <u32>fd, 16);
}

function serve(listener: u32): void {
  for (;;) {
    subscribe(0, <i32>listener, EVENTTYPE_FD_READ, LISTENER);
    let count = 1;
    for (let slot = 0; slot < MAX_CONNECTIONS; slot++) {
      const fd = slotGet(fds, slot);
      if (fd < 0) continue;
      const type = slotGet(outputFill, slot) > 0 ? EVENTTYPE_FD_WRITE : EVENTTYPE_FD_READ;
      subscribe(count++, fd, type, <u64>slot);
    }
    if (poll_oneoff(subscriptions, events, <u32>count, CELLS + 16) != ERRNO_SUCCESS) return;
    const ready = <i32>load<u32>(CELLS, 16);
    for (let i = 0; i < ready; i++) {
      const userdata = load<u64>(events + <usize>i * EVENT_BYTES);
      if (userdata == LISTENER) {
        acceptAll(listener);
        continue;
      }
      const slot = <i32>userdata;
      if (slotGet(fds, slot) < 0) continue;
      const type = load<u8>(events + <usize>i * EVENT_BYTES, 10);
      const alive = type == EVENTTYPE_FD_WRITE ? flush(slot) && answer(slot) && flush(slot) : receive(slot);
      if (!alive) closeSlot(slot);
    }
  }
}

function argument(args: Array<string>, name: string, fallback: i32): i32 {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? I32.parseInt(args[at + 1]) : fallback;
}

export function _start(): void {
  const args = commandArguments();
  const port = argument(args, '--port', 8080);
  const bodyBytes = max(argument(args, '--body-bytes', 20), 10);
  memory.fill(fds, 0xff, <usize>MAX_CONNECTIONS * 4);
  const body = '{"pad":"' + 'x'.repeat(bodyBytes - 10) + '"}';
  const get = 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ';
  const full = get + body.length.toString() + '\r\n\r\n' + body;
  getAnswer = bytesOf(full);
  getAnswerBytes = String.UTF8.byteLength(full);
  const post = 'HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n';
  postAnswer = bytesOf(post);
  postAnswerBytes = String.UTF8.byteLength(post);
  if (sock_open(ADDRESS_FAMILY_INET4, SOCK_TYPE_STREAM, CELLS) != ERRNO_SUCCESS) proc_exit(1);
  const listener = load<u32>(CELLS);
  store<u32>(CELLS, 1);
  sock_setsockopt(listener, SOCK_OPT_LEVEL_SOL_SOCKET, SOCK_OPT_SO_REUSEADDR, CELLS, 4);
  store<u32>(ADDRESS_BYTES, bswap<u32>(0x7f000001));
  store<u32>(ADDRESS, <u32>ADDRESS_BYTES, 0);
  store<u32>(ADDRESS, 4, 4);
  if (sock_bind(listener, ADDRESS, <u32>port) != ERRNO_SUCCESS) proc_exit(1);
  if (sock_listen(listener, 1024) != ERRNO_SUCCESS) proc_exit(1);
  if (fd_fdstat_set_flags(listener, FDFLAGS_NONBLOCK) != ERRNO_SUCCESS) proc_exit(1);
  serve(listener);
  proc_exit(1);
}
