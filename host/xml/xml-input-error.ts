// Why an XML body was refused, with the element path where it went wrong (an XPath-like
// `/epcis:EPCISDocument/EPCISBody/EventList/ObjectEvent[2]/action`, prefixes as written).

export type XmlRefusal =
  /** Not well-formed, not UTF-8, a DTD, too deep: the bytes cannot be read as an EPCIS XML document. */
  | 'unreadable'
  /** Well-formed, but an element or value EPCIS does not define where it stands. */
  | 'invalid'
  /** More events than CAPTURE_LIMIT_EVENTS. */
  | 'too-many-events';

export class XmlInputError extends Error {
  constructor(
    readonly refusal: XmlRefusal,
    /** Where it went wrong; '' before the root element. */
    readonly elementPath: string,
    message: string,
  ) {
    super(message);
    this.name = 'XmlInputError';
  }
}
