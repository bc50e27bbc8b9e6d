// The journal's record checksum is the core's CRC-32 (assembly/hash/crc32.ts), shared with the
// state snapshots that tracker.wasm writes and this server reads.
export { crc32 } from '../../hash/crc32';
