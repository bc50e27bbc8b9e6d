import { STDOUT, writeAll } from './platform/wasi';
export function add(a: i32, b: i32): i32 { return a + b; }
export function _start(): void {
  const s = String.UTF8.encode('hello\n');
  writeAll(STDOUT, changetype<usize>(s), s.byteLength);
}
