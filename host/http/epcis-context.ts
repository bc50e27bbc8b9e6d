/** The JSON-LD context of EPCIS 2.0.0; the core bundles its definitions for offline use. */
export const EPCIS_CONTEXT_URL = 'https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld';
