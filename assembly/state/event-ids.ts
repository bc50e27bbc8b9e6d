import { ByteArena } from './byte-arena';
import { InternTable } from './intern-table';
import { SnapshotIn } from './snapshot-in';
import { SnapshotOut } from './snapshot-out';
import { packMode, packedSize, writePacked, unpackWithPrefix } from './packed-string';

// Stores each event's ID as it was given, compactly. An event without a client eventID is
// stored under its hash ID, `ni:///sha-256;<64 lowercase hex digits of the digest><suffix>`,
// which is rebuilt from the digest the event table already holds plus an interned suffix
// (typically `?ver=CBV2.0`): about 90 characters saved per event. Other IDs (client eventIDs,
// such as `urn:uuid:...`) are packed into an arena.

const HASH_ID_PREFIX = 'ni:///sha-256;';
const PREFIX_LENGTH: usize = 14;
const HEX_LENGTH: usize = 64;
/** Set on references that mean "hash ID of the digest + interned suffix (low bits)". */
const HASH_FORM: u32 = 1 << 31;
const HEX_DIGITS = '0123456789abcdef';

function hexDigit(nibble: u32): u16 {
  return load<u16>(changetype<usize>(HEX_DIGITS) + ((<usize>nibble) << 1));
}

export class EventIds {
  // Client IDs: a chunk number above 8191 would collide with HASH_FORM, i.e. over 2 GiB of IDs,
  // more than the module's whole memory.
  private clientIds: ByteArena = new ByteArena();

  constructor(private interns: InternTable) {}

  /** A reference to `eventId` for the event whose digest is at `digest`. */
  encode(eventId: string, digest: usize): u32 {
    const chars = changetype<usize>(eventId);
    const length = <usize>eventId.length;
    if (isHashIdOf(chars, length, digest)) {
      const fixed = PREFIX_LENGTH + HEX_LENGTH;
      if (length == fixed) return HASH_FORM;
      return HASH_FORM | this.interns.internChars(chars + (fixed << 1), length - fixed);
    }
    const mode = packMode(chars, length);
    const ref = this.clientIds.alloc(packedSize(length, mode));
    writePacked(this.clientIds.ptr(ref), chars, length, mode, false);
    return ref;
  }

  /** The event ID `encode` was given (a new string). */
  decode(ref: u32, digest: usize): string {
    if (!(ref & HASH_FORM)) return unpackWithPrefix(this.clientIds.ptr(ref), '');
    const suffix = this.interns.get(ref & ~HASH_FORM);
    const suffixLength: usize = suffix === null ? 0 : <usize>suffix.length;
    const total = PREFIX_LENGTH + HEX_LENGTH + suffixLength;
    const out = changetype<string>(__new(total << 1, idof<string>()));
    const dst = changetype<usize>(out);
    memory.copy(dst, changetype<usize>(HASH_ID_PREFIX), PREFIX_LENGTH << 1);
    const hex = dst + (PREFIX_LENGTH << 1);
    for (let i: usize = 0; i < 32; i++) {
      const byte = <u32>load<u8>(digest + i);
      store<u16>(hex + (i << 2), hexDigit(byte >> 4));
      store<u16>(hex + (i << 2), hexDigit(byte & 15), 2);
    }
    if (suffix !== null) {
      memory.copy(hex + (HEX_LENGTH << 1), changetype<usize>(suffix), suffixLength << 1);
    }
    return out;
  }

  writeSnapshot(out: SnapshotOut): void {
    this.clientIds.writeSnapshot(out);
  }

  readSnapshot(src: SnapshotIn): bool {
    return this.clientIds.readSnapshot(src);
  }

  release(): void {
    this.clientIds.release();
  }

  get bytes(): usize {
    return this.clientIds.bytes;
  }
}

/** Whether the units at `chars` start with the hash ID prefix and the lowercase hex of `digest`. */
function isHashIdOf(chars: usize, length: usize, digest: usize): bool {
  if (length < PREFIX_LENGTH + HEX_LENGTH) return false;
  if (memory.compare(chars, changetype<usize>(HASH_ID_PREFIX), PREFIX_LENGTH << 1) != 0) return false;
  const hex = chars + (PREFIX_LENGTH << 1);
  for (let i: usize = 0; i < 32; i++) {
    const byte = <u32>load<u8>(digest + i);
    if (load<u16>(hex + (i << 2)) != hexDigit(byte >> 4)) return false;
    if (load<u16>(hex + (i << 2), 2) != hexDigit(byte & 15)) return false;
  }
  return true;
}
