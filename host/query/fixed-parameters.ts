// The fixed-name parameters of GET /events (OpenAPI components.parameters, EPCIS 2.0 §8.2.7.1),
// except the sensor ones (sensor-parameters.ts). Roles per MATCH_ parameter follow the OpenAPI
// descriptions exactly: MATCH_epc looks at epcList and childEPCs only, MATCH_anyEPC adds parentID and
// the transformation lists, and the *EPCClass forms look at the matching quantity lists.
import { expandVocabularyValue } from './cbv-vocabulary.js';
import type { EpcRole } from './event-query.js';
import { EXTENSION_FIELD } from './parse-extension-parameter.js';
import { isUri, parseCount, parseFlag, readUri, type Read } from './parse-scalar-values.js';
import {
  columnIn,
  identifierMatch,
  identifiersIn,
  linkIn,
  locationWithin,
  mapRead,
  quantityCondition,
  readList,
  timeBound,
  vocabularyIn,
} from './parameter-readers.js';
import { readCanonicalIds } from './parse-identifier-values.js';
import type { ParameterHandler } from './query-draft.js';

const STANDARD_EVENT_TYPES = [
  'ObjectEvent',
  'AggregationEvent',
  'TransactionEvent',
  'TransformationEvent',
  'AssociationEvent',
];
const ACTIONS = ['ADD', 'OBSERVE', 'DELETE'];
const INSTANCE_ROLES: EpcRole[] = ['epcList', 'childEPCs'];
const CLASS_ROLES: EpcRole[] = ['quantityList', 'childQuantityList'];
const ANY_INSTANCE_ROLES: EpcRole[] = ['epcList', 'childEPCs', 'parentID', 'inputEPCList', 'outputEPCList'];
const ANY_CLASS_ROLES: EpcRole[] = [
  'quantityList',
  'childQuantityList',
  'inputQuantityList',
  'outputQuantityList',
];

const eventType = (item: string): Read<string> =>
  STANDARD_EVENT_TYPES.includes(item) || isUri(item)
    ? { ok: true, value: item }
    : {
        ok: false,
        detail: `has "${item}", which is not an event type: use ${STANDARD_EVENT_TYPES.join(', ')} or an extension type URI`,
      };

const action = (item: string): Read<string> =>
  ACTIONS.includes(item)
    ? { ok: true, value: item }
    : { ok: false, detail: `has "${item}", which is not an action: use ADD, OBSERVE or DELETE` };

const uris = (items: string[]): Read<string[]> => mapRead(items, readUri);
const dispositions = (items: string[]): Read<string[]> =>
  mapRead(items, (item) => expandVocabularyValue('disposition', item));

const flag =
  (column: 'is_declaration' | 'has_sensor_data'): ParameterHandler =>
  (draft, value) => {
    const on = parseFlag(value, true);
    if (!on.ok) return on.detail;
    if (on.value) draft.filters.push({ kind: 'flag', column });
    return null;
  };

const count =
  (key: 'eventCountLimit' | 'maxEventCount' | 'perPage'): ParameterHandler =>
  (draft, value) => {
    const n = parseCount(value);
    if (!n.ok) return n.detail;
    draft[key] = n.value;
    return null;
  };

const orderBy: ParameterHandler = (draft, value) => {
  if (value === 'eventTime' || value === 'recordTime') draft.order = { by: value };
  else if (EXTENSION_FIELD.test(value)) draft.order = { by: 'extension', field: value };
  else if (value === 'quantity')
    return 'can no longer be "quantity" (deprecated since EPCIS 1.1); use eventTime, recordTime or an extension field';
  else return `must be eventTime, recordTime or an extension field name like example:myField; got "${value}"`;
  return null;
};

const orderDirection: ParameterHandler = (draft, value) => {
  if (value !== 'ASC' && value !== 'DESC') return `must be ASC or DESC; got "${value}"`;
  draft.direction = value;
  return null;
};

// The core stores transformationID as captured (it canonicalises read points and business
// locations, not this), so a value matches both as given and in its canonical form.
const transformationIds: ParameterHandler = (draft, value, canon) => {
  const ids = readList(value, (items) => {
    const canonical = readCanonicalIds(items, canon);
    return canonical.ok ? { ok: true, value: [...new Set([...items, ...canonical.value])] } : canonical;
  });
  if (!ids.ok) return ids.detail;
  draft.filters.push({ kind: 'column-in', column: 'transformation_id', values: ids.value });
  return null;
};

const nextPageToken: ParameterHandler = (draft, value) => {
  if (value.length === 0)
    return "is empty; send the token from the previous page's Link header, or leave it out for the first page";
  draft.nextPageToken = value;
  return null;
};

export const FIXED_PARAMETERS: ReadonlyMap<string, ParameterHandler> = new Map<string, ParameterHandler>([
  ['eventType', columnIn('event_type', eventType)],
  ['GE_eventTime', timeBound('event_time_ms', 'geMs')],
  ['LT_eventTime', timeBound('event_time_ms', 'ltMs')],
  ['GE_recordTime', timeBound('record_time_ms', 'geMs')],
  ['LT_recordTime', timeBound('record_time_ms', 'ltMs')],
  ['EQ_action', columnIn('action', action)],
  ['EQ_bizStep', vocabularyIn('biz_step', 'bizStep')],
  ['EQ_disposition', vocabularyIn('disposition', 'disposition')],
  ['EQ_persistentDisposition_set', linkIn('persistentDispositionSet', null, dispositions)],
  ['EQ_persistentDisposition_unset', linkIn('persistentDispositionUnset', null, dispositions)],
  ['EQ_readPoint', identifiersIn('read_point')],
  ['WD_readPoint', locationWithin('read_point')],
  ['EQ_bizLocation', identifiersIn('biz_location')],
  ['WD_bizLocation', locationWithin('biz_location')],
  ['EQ_transformationID', transformationIds],
  ['MATCH_epc', identifierMatch(INSTANCE_ROLES, 'instance')],
  ['MATCH_parentID', identifierMatch(['parentID'], 'instance')],
  ['MATCH_inputEPC', identifierMatch(['inputEPCList'], 'instance')],
  ['MATCH_outputEPC', identifierMatch(['outputEPCList'], 'instance')],
  ['MATCH_anyEPC', identifierMatch(ANY_INSTANCE_ROLES, 'instance')],
  ['MATCH_epcClass', identifierMatch(CLASS_ROLES, 'class')],
  ['MATCH_inputEPCClass', identifierMatch(['inputQuantityList'], 'class')],
  ['MATCH_outputEPCClass', identifierMatch(['outputQuantityList'], 'class')],
  ['MATCH_anyEPCClass', identifierMatch(ANY_CLASS_ROLES, 'class')],
  ['EQ_quantity', quantityCondition('EQ', '')],
  ['GT_quantity', quantityCondition('GT', '')],
  ['GE_quantity', quantityCondition('GE', '')],
  ['LT_quantity', quantityCondition('LT', '')],
  ['LE_quantity', quantityCondition('LE', '')],
  ['EQ_eventID', columnIn('event_id', readUri)],
  ['EXISTS_errorDeclaration', flag('is_declaration')],
  ['GE_errorDeclarationTime', timeBound('declaration_time_ms', 'geMs')],
  ['LT_errorDeclarationTime', timeBound('declaration_time_ms', 'ltMs')],
  ['GE_errorDeclaration_Time', timeBound('declaration_time_ms', 'geMs')],
  ['LT_errorDeclaration_Time', timeBound('declaration_time_ms', 'ltMs')],
  ['EQ_errorReason', vocabularyIn('error_reason', 'errorReason')],
  ['EQ_correctiveEventID', linkIn('correctiveEventID', null, uris)],
  ['EXISTS_sensorElementList', flag('has_sensor_data')],
  ['orderBy', orderBy],
  ['orderDirection', orderDirection],
  ['eventCountLimit', count('eventCountLimit')],
  ['maxEventCount', count('maxEventCount')],
  ['perPage', count('perPage')],
  ['nextPageToken', nextPageToken],
]);
