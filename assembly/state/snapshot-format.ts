// The state snapshot file (DATA_DIR/snapshot/<journalSeq 20>-<inboundSeq 20>.snap), little-endian:
//
//   header, 128 bytes:
//     0  u64 magic "ETSNAPSH"
//     8  u32 CRC-32 (zlib's) of every byte after this field: the rest of the header, then the body
//           (filled by the host that writes the file: snapshot-writer.ts says why)
//    12  u32 layout version (SNAPSHOT_LAYOUT_VERSION)
//    16  u64 journalSeq   every journal record ≤ it is in the snapshot
//    24  u64 inboundSeq   every inbound record ≤ it is in the snapshot
//    32  u64 body bytes   (the file is exactly header + body)
//    40  u32 EPCs, 44 u32 events, 48 u32 duplicate keys, 52 u32 zero
//    56  u64 storeSeq     every event the Node host's SQLite store holds up to this seq is in the
//                         snapshot (0 when written without a store, e.g. by a bench tool)
//    64  64 bytes host tag: written and checked by the Node host only (host/state-snapshot/:
//                         which store and which tracker.wasm build wrote it), zero otherwise;
//                         opaque to the core, covered by the CRC
//   body: the state index (StateIndex.writeSnapshot: EPC table, event table, interned strings,
//         event IDs), then the duplicate-key set; each arena as its chunks, each table as its slots.
//
// The body is the index's memory as it is, so its meaning is the layout of assembly/state/ and of
// duplicate-key-set.ts. SNAPSHOT_LAYOUT_VERSION must change with any of: epc-layout.ts offsets,
// event-table.ts record layout, slot formats, string-hash.ts functions and seeds, packed-string.ts,
// byte-arena.ts references, event-ids.ts encoding, intern ids, the digest set. A reader refuses any
// other version: the server then replays the journal instead, and the sidecar writes a new one.

export const SNAPSHOT_MAGIC: u64 = 0x485350414e535445; // "ETSNAPSH" read as a little-endian u64
// 2: the header grew by storeSeq and the host tag (the Node service starts from snapshots too).
export const SNAPSHOT_LAYOUT_VERSION: u32 = 2;
export const SNAPSHOT_HEADER_BYTES: u32 = 128;
/** Where the header's checksummed part starts (after magic and CRC). */
export const SNAPSHOT_CRC_FROM: u32 = 12;

export const H_MAGIC: usize = 0;
export const H_CRC: usize = 8;
export const H_VERSION: usize = 12;
export const H_JOURNAL_SEQ: usize = 16;
export const H_INBOUND_SEQ: usize = 24;
export const H_BODY_BYTES: usize = 32;
export const H_EPCS: usize = 40;
export const H_EVENTS: usize = 44;
export const H_KEYS: usize = 48;
export const H_STORE_SEQ: usize = 56;
export const H_HOST_TAG: usize = 64;
export const HOST_TAG_BYTES: usize = 64;
