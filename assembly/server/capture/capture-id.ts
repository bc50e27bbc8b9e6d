// Capture job IDs: random UUIDs (version 4), as the Node service's crypto.randomUUID().
import { random_get } from '../../platform/wasi-sockets';

const BYTES = memory.data(16);
const HEX = '0123456789abcdef';

export function newCaptureId(): string {
  random_get(BYTES, 16);
  store<u8>(BYTES, (load<u8>(BYTES, 6) & 0x0f) | 0x40, 6);
  store<u8>(BYTES, (load<u8>(BYTES, 8) & 0x3f) | 0x80, 8);
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    const b = load<u8>(BYTES + <usize>i);
    s += HEX.charAt(b >> 4) + HEX.charAt(b & 15);
  }
  return s;
}
