// Locates GS1's and OpenEPCIS's published conformance data in ../shared/conformance (beside the
// repository, in CI too) and sorts it into what must be accepted and what must be rejected.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CONFORMANCE_DIR = resolve(REPO_ROOT, '../shared/conformance');

if (!existsSync(CONFORMANCE_DIR)) {
  throw new Error(`conformance data not found at ${CONFORMANCE_DIR}: the repository must sit beside shared/`);
}

/** Every file below `dir`, in sorted order. */
export function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? walk(path) : [path];
    });
}

export interface ExampleDocument {
  /** Path relative to shared/conformance, used as the test name. */
  name: string;
  path: string;
  bytes: Buffer;
}

function load(path: string): ExampleDocument {
  return { name: relative(CONFORMANCE_DIR, path), path, bytes: readFileSync(path) };
}

const isJson = (path: string) => path.endsWith('.json') || path.endsWith('.jsonld');
const inInvalidFolder = (path: string) => path.split('/').includes('Invalid');
const isQueryBody = (path: string) => path.split('/').includes('Queries');

/**
 * Files in valid folders that the GS1 schema rejects for a reason we agree with: persistentDisposition
 * is not allowed on an AggregationEvent (SOURCES.md), and event 8 of SensorData_with_combined_events
 * has sensorReports without the required `type` (SOURCES.md shows only that file's first error, a
 * newer measurement type, which we do accept).
 */
export const REJECTED_DESPITE_FOLDER = new Set([
  'AggregationEvent_with_persistentDisposition.json',
  'SensorData_with_combined_events.json',
]);

const exampleFiles = () => walk(join(CONFORMANCE_DIR, 'epcis-examples')).filter(isJson);

/** Every capture or query-result document (or bare event) that must be accepted. */
export function validExamples(): ExampleDocument[] {
  return exampleFiles()
    .filter((p) => !inInvalidFolder(p) && !isQueryBody(p) && !REJECTED_DESPITE_FOLDER.has(basename(p)))
    .map(load);
}

/** Every document that must be rejected. */
export function invalidExamples(): ExampleDocument[] {
  return exampleFiles()
    .filter((p) => (inInvalidFolder(p) && !isQueryBody(p)) || REJECTED_DESPITE_FOLDER.has(basename(p)))
    .map(load);
}

export interface HashVector {
  name: string;
  document: ExampleDocument;
  hashes: string[];
  prehashes: string[];
}

const lines = (path: string) =>
  existsSync(path)
    ? readFileSync(path, 'utf8')
        .split(/\r?\n/)
        .filter((line) => line.trim() !== '')
    : [];

export function hashVectors(): HashVector[] {
  const dir = join(CONFORMANCE_DIR, 'hash-vectors');
  return readdirSync(dir)
    .filter(isJson)
    .sort()
    .map((file) => {
      const name = file.replace(/\.json(ld)?$/, '');
      return {
        name,
        document: load(join(dir, file)),
        hashes: lines(join(dir, `${name}.hashes`)),
        prehashes: lines(join(dir, `${name}.prehashes`)),
      };
    });
}

export function readSchema(name: string): unknown {
  return JSON.parse(readFileSync(join(CONFORMANCE_DIR, 'schema', name), 'utf8')) as unknown;
}
