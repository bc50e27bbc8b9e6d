import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandVocabularyValue, VOCABULARY_WORDS } from '../../../host/query/cbv-vocabulary.js';

// The host's word lists must be the core's (assembly/vocab/words.ts), which decide what is stored.
const coreWords = readFileSync(new URL('../../../assembly/vocab/words.ts', import.meta.url), 'utf8');

function coreList(name: string): string[] {
  const m = new RegExp(`const ${name}: string\\[\\] = \\[([^\\]]*)\\]`).exec(coreWords);
  if (m === null) throw new Error(`assembly/vocab/words.ts no longer declares ${name}`);
  return [...m[1]!.matchAll(/'([^']+)'/g)].map((w) => w[1]!);
}

describe('query vocabulary', () => {
  it.each([
    ['bizStep', 'BIZ_STEP_WORDS'],
    ['disposition', 'DISPOSITION_WORDS'],
    ['bizTransactionType', 'BIZ_TRANSACTION_TYPE_WORDS'],
    ['sourceDestType', 'SOURCE_DEST_TYPE_WORDS'],
    ['errorReason', 'ERROR_REASON_WORDS'],
  ] as const)('has the same %s words as the core', (vocabulary, coreName) => {
    expect([...VOCABULARY_WORDS[vocabulary]]).toEqual(coreList(coreName));
  });

  it('has the same measurement types as the core, newer terms included', () => {
    expect([...VOCABULARY_WORDS.measurementType]).toEqual([
      ...coreList('MEASUREMENT_TYPE_WORDS'),
      ...coreList('NEWER_MEASUREMENT_TYPE_WORDS'),
    ]);
  });

  it('expands the way the store does', () => {
    expect(expandVocabularyValue('bizTransactionType', 'po')).toEqual({
      ok: true,
      value: 'https://ref.gs1.org/cbv/BTT-po',
    });
    expect(expandVocabularyValue('sourceDestType', 'owning_party')).toEqual({
      ok: true,
      value: 'https://ref.gs1.org/cbv/SDT-owning_party',
    });
    expect(expandVocabularyValue('errorReason', 'did_not_occur')).toEqual({
      ok: true,
      value: 'https://ref.gs1.org/cbv/ER-did_not_occur',
    });
    expect(expandVocabularyValue('disposition', 'https://example.com/disp/x')).toEqual({
      ok: true,
      value: 'https://example.com/disp/x',
    });
  });
});
