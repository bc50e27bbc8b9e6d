// Offline JSON-LD context handling for EPCIS: the bundled EPCIS context plus inline context objects.
export { ContextEdition } from './epcis-context-bundle';
export { JsonLdContext } from './json-ld-context';
export { resolveContext } from './resolve-context';
