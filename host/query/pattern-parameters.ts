// Parameters whose name carries a value (QSCHEMA patternProperties): typed business transactions,
// sources and destinations, quantities by unit, sensor measurements by unit and extension fields.
import { expandVocabularyValue, VOCABULARY_WORDS, type Vocabulary } from './cbv-vocabulary.js';
import type { Comparison, LinkKind } from './event-query.js';
import { extensionParameter } from './parse-extension-parameter.js';
import { readCanonicalIds } from './parse-identifier-values.js';
import { linkIn, quantityCondition } from './parameter-readers.js';
import type { ParameterHandler } from './query-draft.js';
import { measurementParameter } from './sensor-parameters.js';

export type PatternLookup = { handler: ParameterHandler } | { problem: string } | null;

const TYPED_LINK = /^EQ_(bizTransaction|source|destination)_(.+)$/;
const TYPE_VOCABULARY: Readonly<Record<string, Vocabulary>> = {
  bizTransaction: 'bizTransactionType',
  source: 'sourceDestType',
  destination: 'sourceDestType',
};
const QUANTITY = /^(EQ|GT|GE|LT|LE)_quantity_([A-Z0-9]{2,4})$/;
const MASTER_DATA = /^(HASATTR|EQ_ATTR)_/;

/** What to do with a parameter whose name is not one of the fixed names. */
export function lookupPatternParameter(name: string): PatternLookup {
  const link = TYPED_LINK.exec(name);
  if (link !== null) {
    const kind = link[1] as LinkKind;
    // The type in the name is a bare CBV word (EQ_bizTransaction_po) or a URI, expanded as stored.
    const vocabulary = TYPE_VOCABULARY[kind] ?? 'bizTransactionType';
    const type = expandVocabularyValue(vocabulary, link[2] ?? '');
    if (!type.ok) {
      const words = VOCABULARY_WORDS[vocabulary].join(', ');
      return { problem: `names the ${kind} type "${link[2]}", which is neither one of ${words} nor a URI` };
    }
    return { handler: linkIn(kind, type.value, readCanonicalIds) };
  }
  const quantity = QUANTITY.exec(name);
  if (quantity !== null) return { handler: quantityCondition(quantity[1] as Comparison, quantity[2] ?? '') };
  if (MASTER_DATA.test(name)) {
    return {
      problem: 'asks about master-data attributes, which this repository does not store; drop the parameter',
    };
  }
  const handler = measurementParameter(name) ?? extensionParameter(name);
  return handler === null ? null : { handler };
}
