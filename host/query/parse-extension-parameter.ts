// Extension-field parameters (QSCHEMA patternProperties): EQ_|GT_|GE_|LT_|LE_|EXISTS_, an optional
// INNER_ and/or scope prefix (ILMD_, ERROR_DECLARATION_, SENSORELEMENT_, SENSORMETADATA_,
// SENSORREPORT_), then the field as `prefix:localName`; plus EQ_[INNER_]readPoint_/bizLocation_ for
// fields inside those two. The field name is matched exactly as it is written in the captured event
// JSON (the store keeps the body verbatim and the query carries no @context), so a client must use the
// same prefix its events were captured with.
import type { ExtensionScope, ValueTest } from './event-query.js';
import { parseDecimal, parseFlag, parseInstantMs, splitPipeList, type Read } from './parse-scalar-values.js';
import type { ParameterHandler } from './query-draft.js';

/** `prefix:localName`; no quotes or backslashes, so it is safe inside a JSON path string. */
export const EXTENSION_FIELD = /^[A-Za-z][\w.-]*:[\w.-]+$/;

const SCOPES: Readonly<Record<string, ExtensionScope>> = {
  '': 'event',
  ILMD_: 'ilmd',
  ERROR_DECLARATION_: 'errorDeclaration',
  SENSORELEMENT_: 'sensorElement',
  SENSORMETADATA_: 'sensorMetadata',
  SENSORREPORT_: 'sensorReport',
};

const GENERAL =
  /^(EQ|GT|GE|LT|LE|EXISTS)_(INNER_)?(ILMD_|ERROR_DECLARATION_|SENSORELEMENT_|SENSORMETADATA_|SENSORREPORT_)?(.+)$/;
const LOCATION = /^EQ_(INNER_)?(readPoint|bizLocation)_(.+)$/;

/** The handler for an extension-field parameter name, or null when the name is not one. */
export function extensionParameter(name: string): ParameterHandler | null {
  const location = LOCATION.exec(name);
  if (location !== null && EXTENSION_FIELD.test(location[3] ?? '')) {
    return extensionHandler(
      'EQ',
      location[2] as ExtensionScope,
      location[1] !== undefined,
      location[3] ?? '',
    );
  }
  const general = GENERAL.exec(name);
  if (general === null || !EXTENSION_FIELD.test(general[4] ?? '')) return null;
  const scope = SCOPES[general[3] ?? ''];
  if (scope === undefined) return null;
  return extensionHandler(general[1] as ValueTest['op'], scope, general[2] !== undefined, general[4] ?? '');
}

function extensionHandler(
  op: ValueTest['op'],
  scope: ExtensionScope,
  inner: boolean,
  field: string,
): ParameterHandler {
  return (draft, value) => {
    const test = readValueTest(op, value);
    if (!test.ok) return test.detail;
    if (test.value !== null) draft.filters.push({ kind: 'extension', scope, inner, field, test: test.value });
    return null;
  };
}

/**
 * The value of an extension parameter. EQ_ takes a pipe list and each entry matches a stored string
 * equal to it, a number equal to it, or a date-time at the same instant; GT_/GE_/LT_/LE_ take one
 * number or date-time (QSCHEMA `date-string-or-number`). EXISTS_ false means "no condition".
 */
export function readValueTest(op: ValueTest['op'], value: string): Read<ValueTest | null> {
  if (op === 'EXISTS') {
    const on = parseFlag(value, true);
    return on.ok ? { ok: true, value: on.value ? { op } : null } : on;
  }
  if (op === 'EQ') {
    const items = splitPipeList(value);
    if (!items.ok) return items;
    const test: ValueTest = { op, texts: items.value, numbers: [], instantsMs: [] };
    for (const item of items.value) {
      const number = parseDecimal(item);
      if (number.ok) test.numbers.push(number.value);
      const instant = parseInstantMs(item);
      if (instant.ok) test.instantsMs.push(instant.value);
    }
    return { ok: true, value: test };
  }
  const number = parseDecimal(value);
  if (number.ok) return { ok: true, value: { op, number: number.value } };
  const instant = parseInstantMs(value);
  if (instant.ok) return { ok: true, value: { op, instantMs: instant.value } };
  return { ok: false, detail: `must be a number or an RFC 3339 date-time to compare with; got "${value}"` };
}
