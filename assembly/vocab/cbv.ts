// Vocabulary membership and expansion: bare CBV words become full `https://ref.gs1.org/cbv/…` URIs
// and GS1 Web Vocabulary terms become `https://ref.gs1.org/voc/…`, the forms the CBV 2.0 hash and
// our index use. Values that are already URIs pass through unchanged.
import {
  BIZ_STEP_WORDS,
  BIZ_TRANSACTION_TYPE_WORDS,
  COMPONENT_WORDS,
  DISPOSITION_WORDS,
  ERROR_REASON_WORDS,
  MEASUREMENT_TYPE_WORDS,
  NEWER_MEASUREMENT_TYPE_WORDS,
  SENSOR_ALERT_WORDS,
  SOURCE_DEST_TYPE_WORDS,
} from './words';

export enum Vocab {
  BizStep = 0,
  Disposition = 1,
  BizTransactionType = 2,
  SourceDestType = 3,
  ErrorReason = 4,
  Component = 5,
  MeasurementType = 6,
  SensorAlertType = 7,
}

export const CBV_BASE = 'https://ref.gs1.org/cbv/';
export const GS1_VOC_BASE = 'https://ref.gs1.org/voc/';

function toSet(words: string[], extra: string[] = []): Set<string> {
  const set = new Set<string>();
  for (let i = 0; i < words.length; i++) set.add(words[i]);
  for (let i = 0; i < extra.length; i++) set.add(extra[i]);
  return set;
}

const SETS: Set<string>[] = [
  toSet(BIZ_STEP_WORDS),
  toSet(DISPOSITION_WORDS),
  toSet(BIZ_TRANSACTION_TYPE_WORDS),
  toSet(SOURCE_DEST_TYPE_WORDS),
  toSet(ERROR_REASON_WORDS),
  toSet(COMPONENT_WORDS),
  toSet(MEASUREMENT_TYPE_WORDS, NEWER_MEASUREMENT_TYPE_WORDS),
  toSet(SENSOR_ALERT_WORDS),
];

/** CBV section prefix of each vocabulary (`BizStep-shipping`); empty for GS1 Web Vocabulary terms. */
const CBV_SECTION: string[] = ['BizStep-', 'Disp-', 'BTT-', 'SDT-', 'ER-', 'Comp-', '', ''];

/** Each vocabulary's bare words with their full URIs, made once: expanding a word allocates nothing. */
function expansionsOf(vocab: Vocab): Map<string, string> {
  const words = unchecked(SETS[vocab]).values();
  const map = new Map<string, string>();
  for (let i = 0, n = words.length; i < n; i++) {
    const word = unchecked(words[i]);
    map.set(
      word,
      isWebVocabulary(vocab) ? GS1_VOC_BASE + word : CBV_BASE + unchecked(CBV_SECTION[vocab]) + word,
    );
  }
  return map;
}

const EXPANSIONS: Map<string, string>[] = [
  expansionsOf(Vocab.BizStep),
  expansionsOf(Vocab.Disposition),
  expansionsOf(Vocab.BizTransactionType),
  expansionsOf(Vocab.SourceDestType),
  expansionsOf(Vocab.ErrorReason),
  expansionsOf(Vocab.Component),
  expansionsOf(Vocab.MeasurementType),
  expansionsOf(Vocab.SensorAlertType),
];

// Every event asks about the same few words (its bizStep, disposition, transaction and party
// types), each several times (validation, index keys, pre-hash), and the JSON parser hands out the
// same string object for the same short text (json/string-cache.ts). A direct-mapped memo keyed by
// (vocabulary, string address) answers those without hashing the string for a Map lookup
// (bench:core, 1000-event documents: about 11 lookups per event; measured +10% capture,
// interleaved A/B). An entry holds its word, so the address keeps standing for the same text.
const MEMO_SLOTS: i32 = 256;
const MEMO_SHIFT: u32 = 24; // 32 - log2(MEMO_SLOTS)
const memoWords = new StaticArray<string | null>(MEMO_SLOTS);
const memoVocabs = new StaticArray<i32>(MEMO_SLOTS);
const memoExpansions = new StaticArray<string | null>(MEMO_SLOTS);

/** The full URI of a standard bare word of `vocab`; null when `value` is not one. */
function expansionOf(vocab: Vocab, value: string): string | null {
  const address = changetype<usize>(value);
  const slot = <i32>((((<u32>address) ^ ((<u32>vocab) << 28)) * 0x9e3779b1) >>> MEMO_SHIFT);
  if (changetype<usize>(unchecked(memoWords[slot])) == address && unchecked(memoVocabs[slot]) == vocab) {
    return unchecked(memoExpansions[slot]);
  }
  const expansions = unchecked(EXPANSIONS[vocab]);
  const expansion: string | null = expansions.has(value) ? expansions.get(value) : null;
  unchecked((memoWords[slot] = value));
  unchecked((memoVocabs[slot] = vocab));
  unchecked((memoExpansions[slot] = expansion));
  return expansion;
}

/** True when `value` is one of the vocabulary's standard bare words. */
export function isStandardWord(vocab: Vocab, value: string): bool {
  return expansionOf(vocab, value) !== null;
}

/** True for vocabularies whose words live in the GS1 Web Vocabulary rather than CBV. */
export function isWebVocabulary(vocab: Vocab): bool {
  return vocab == Vocab.MeasurementType || vocab == Vocab.SensorAlertType;
}

/**
 * The full URI of a vocabulary value: bare words and `cbv:`/`gs1:` CURIEs are expanded; anything
 * else (a URI, or a CURIE with another prefix, which the JSON-LD context resolves) is returned as is.
 */
export function expandVocabValue(vocab: Vocab, value: string): string {
  const expansion = expansionOf(vocab, value);
  if (expansion !== null) return expansion;
  if (value.startsWith('cbv:')) return CBV_BASE + value.substring(4);
  if (value.startsWith('gs1:')) return GS1_VOC_BASE + value.substring(4);
  return value;
}
