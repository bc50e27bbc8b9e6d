// Vocabulary-valued fields: the schema's `anyOf: [<URI pattern>, <enum of bare words>]`. A value
// passes when it is a standard bare word, or a URI that is not the URN / ns.gs1.org form of a CBV
// value (`vocab-other-uri`) — or, for sensor types and alerts, not a gs1.org/voc URI
// (`vocab-nonGS1WebVoc-uri`). Sensor measurement types also accept the newer GS1 Web Vocabulary
// words in NEWER_MEASUREMENT_TYPE_WORDS, our one deliberate tolerance beyond the schema.
import { JsonKind, JsonString, JsonValue } from '../json/value';
import { isStandardWord, isWebVocabulary, Vocab } from '../vocab/cbv';
import { got, quote } from './describe-value';
import { isUri } from './uri-format';
import { ValidationContext } from './validation-context';

/** `vocab-other-uri`'s pattern `^(?!(urn:epcglobal:cbv|https?:\/\/ns\.gs1\.org/cbv\/))`. */
function isCbvUri(s: string): bool {
  return (
    s.startsWith('urn:epcglobal:cbv') ||
    s.startsWith('http://ns.gs1.org/cbv/') ||
    s.startsWith('https://ns.gs1.org/cbv/')
  );
}

/** `vocab-nonGS1WebVoc-uri`'s pattern: no http(s)://gs1.org/voc/ or http(s)://www.gs1.org/voc/. */
function isGs1WebVocUri(s: string): bool {
  return (
    s.startsWith('http://gs1.org/voc/') ||
    s.startsWith('https://gs1.org/voc/') ||
    s.startsWith('http://www.gs1.org/voc/') ||
    s.startsWith('https://www.gs1.org/voc/')
  );
}

/** True when `s` is acceptable for `vocab` (no reporting; used on the success path). */
export function isVocabValue(vocab: Vocab, s: string): bool {
  if (isStandardWord(vocab, s)) return true;
  if (!isUri(s)) return false;
  return isWebVocabulary(vocab) ? !isGs1WebVocUri(s) : !isCbvUri(s);
}

/** An example standard word per Vocab, in enum order. */
// prettier-ignore
const EXAMPLES: string[] = ['shipping', 'in_transit', 'po', 'owning_party', 'incorrect_data', 'x', 'Temperature', 'ALARM_CONDITION'];

/** The bare word a full CBV / Web Vocabulary URI stands for, when it is a standard one ("" if not). */
function bareWordOf(vocab: Vocab, s: string): string {
  let cut = s.length;
  while (cut > 0) {
    const c = s.charCodeAt(cut - 1);
    if (c == 58 || c == 47 || c == 45) break;
    cut--;
  }
  const word = s.substring(cut);
  return isStandardWord(vocab, word) ? word : '';
}

/** Checks the vocabulary value at the current position; `label` names the field in messages. */
export function checkVocab(ctx: ValidationContext, v: JsonValue, vocab: Vocab, label: string): bool {
  if (v.kind == JsonKind.String && isVocabValue(vocab, changetype<JsonString>(v).value)) return true;
  const example = quote(unchecked(EXAMPLES[vocab]));
  if (v.kind != JsonKind.String) {
    ctx.report(`${label} must be a string: a standard word such as ${example} or a URI` + got(v));
    return false;
  }
  const s = changetype<JsonString>(v).value;
  if (isUri(s)) {
    const word = bareWordOf(vocab, s);
    const standard = word.length > 0 ? quote(word) : 'such as ' + example;
    const what = isWebVocabulary(vocab) ? 'GS1 Web Vocabulary' : 'CBV';
    ctx.report(`${label} must use the bare ${what} word ${standard} in JSON, not a ${what} URI` + got(v));
  } else {
    ctx.report(
      `${label} must be a standard word such as ${example} or a URI/CURIE for a custom value` + got(v),
    );
  }
  return false;
}
