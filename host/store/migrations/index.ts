// Every schema migration, in version order. Migrations are TypeScript modules (not .sql files) so
// the compiled output carries them without a copy step.
import * as initial from './001-initial.js';
import * as captureJobsKeyset from './002-capture-jobs-keyset.js';
import * as dropHashIdIndex from './003-drop-hash-id-index.js';
import * as namedQueries from './004-named-queries.js';
import * as journalPosition from './005-journal-position.js';
import * as inboundPosition from './006-inbound-position.js';
import * as journalSegment from './007-journal-segment.js';
import * as locationTimeIndex from './008-location-time-index.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  initial,
  captureJobsKeyset,
  dropHashIdIndex,
  namedQueries,
  journalPosition,
  inboundPosition,
  journalSegment,
  locationTimeIndex,
];
