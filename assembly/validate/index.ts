// The validator's public surface: whole documents (POST /capture) and single events (POST /events).
export { DocumentKind, DocumentOutline, validateDocument } from './document';
export { validateEvent } from './event';
