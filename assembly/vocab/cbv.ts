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

/** True when `value` is one of the vocabulary's standard bare words. */
export function isStandardWord(vocab: Vocab, value: string): bool {
  return unchecked(SETS[vocab]).has(value);
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
  if (isStandardWord(vocab, value)) {
    return isWebVocabulary(vocab) ? GS1_VOC_BASE + value : CBV_BASE + unchecked(CBV_SECTION[vocab]) + value;
  }
  if (value.startsWith('cbv:')) return CBV_BASE + value.substring(4);
  if (value.startsWith('gs1:')) return GS1_VOC_BASE + value.substring(4);
  return value;
}
