// The outcome of canonicalising one identifier. Bad input is a value, never a trap: callers decide
// whether an Invalid identifier rejects the event or only produces an issue.

export enum IdentifierStatus {
  /** A GS1 key (EPC URN, EPC class/pattern URN, or a parsable GS1 Digital Link on any domain): `value` is the canonical DL. */
  Canonical = 0,
  /** Not a GS1 identifier (urn:uuid, other URLs, urn:epcglobal:cbv:bt:…, private URNs): `value` is the input unchanged. */
  NotGs1 = 1,
  /** Looks like a GS1 key but is malformed: `reason` says what, in one sentence naming the problem. */
  Invalid = 2,
}

export class CanonicalIdentifier {
  constructor(
    public status: IdentifierStatus,
    /**
     * Canonical DL, or the input unchanged. One exception for Invalid: a Digital Link whose only fault
     * is its check digit carries the canonical form it would have, because the CBV reference hash
     * implementation does not verify check digits and the event hash must still agree with it.
     */
    public value: string,
    /** Empty unless status is Invalid. */
    public reason: string,
    /** Invalid only because of a wrong check digit (the rest of the key is well formed). */
    public onlyCheckDigit: bool = false,
    /** The GS1 Application Identifier of the primary key when known ("01", "414", "00", …). */
    public primaryAi: string = '',
  ) {}
}

export function canonical(value: string): CanonicalIdentifier {
  return new CanonicalIdentifier(IdentifierStatus.Canonical, value, '');
}

export function notGs1(input: string): CanonicalIdentifier {
  return new CanonicalIdentifier(IdentifierStatus.NotGs1, input, '');
}

export function invalid(
  value: string,
  reason: string,
  onlyCheckDigit: bool = false,
  primaryAi: string = '',
): CanonicalIdentifier {
  return new CanonicalIdentifier(IdentifierStatus.Invalid, value, reason, onlyCheckDigit, primaryAi);
}
