// Text of EPCIS XML elements and attributes → the JSON values of the EPCIS 2.0 JSON-LD binding:
// CBV URNs as the bare words the JSON schema names (`urn:epcglobal:cbv:bizstep:shipping` →
// "shipping"), xsd:decimal → JSON numbers, xsd:boolean → true/false. What does not convert stays
// a string, so the core's validation refuses it with its usual message.
import { type Vocabulary, VOCABULARY_WORDS } from '../query/cbv-vocabulary.js';

const CBV_URN: Readonly<Record<Vocabulary, string>> = {
  bizStep: 'urn:epcglobal:cbv:bizstep:',
  disposition: 'urn:epcglobal:cbv:disp:',
  bizTransactionType: 'urn:epcglobal:cbv:btt:',
  sourceDestType: 'urn:epcglobal:cbv:sdt:',
  errorReason: 'urn:epcglobal:cbv:er:',
};

const WORDS: Readonly<Record<Vocabulary | 'measurementType', ReadonlySet<string>>> = {
  bizStep: new Set(VOCABULARY_WORDS.bizStep),
  disposition: new Set(VOCABULARY_WORDS.disposition),
  bizTransactionType: new Set(VOCABULARY_WORDS.bizTransactionType),
  sourceDestType: new Set(VOCABULARY_WORDS.sourceDestType),
  errorReason: new Set(VOCABULARY_WORDS.errorReason),
  measurementType: new Set(VOCABULARY_WORDS.measurementType),
};

/** A CBV URN as its bare word when CBV defines the word; any other value as written. */
export function cbvValue(vocabulary: Vocabulary, text: string): string {
  const prefix = CBV_URN[vocabulary];
  if (!text.startsWith(prefix)) return text;
  const word = text.slice(prefix.length);
  return WORDS[vocabulary].has(word) ? word : text;
}

/** `gs1:Temperature` → "Temperature" (the JSON-LD context's own vocabulary), others as written. */
export function measurementType(text: string): string {
  if (!text.startsWith('gs1:')) return text;
  const word = text.slice(4);
  return WORDS.measurementType.has(word) ? word : text;
}

const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
const XSD_DECIMAL = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** xsd:decimal/double text as a JSON number; text that is not a finite number stays a string. */
export function numberValue(text: string): number | string {
  if (JSON_NUMBER.test(text) || XSD_DECIMAL.test(text)) {
    const value = Number(text);
    if (Number.isFinite(value)) return value;
  }
  return text;
}

export function booleanValue(text: string): boolean | string {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return text;
}
