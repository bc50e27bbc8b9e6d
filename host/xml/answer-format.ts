// Content negotiation of the event query answers (RFC 9110 §12.5.1): JSON-LD by default and for
// application/json, application/ld+json and wildcards; an EPCIS 2.0 XML EPCISQueryDocument for
// application/xml or text/xml; null (406) when the Accept header names nothing of these.

export type AnswerFormat = 'json' | 'xml';

const FORMAT_OF: Readonly<Record<string, AnswerFormat>> = {
  'application/json': 'json',
  'application/ld+json': 'json',
  // Errors are problem+json whatever the answer format; a client that accepts only those gets JSON.
  'application/problem+json': 'json',
  '*/*': 'json',
  'application/*': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'text/*': 'xml',
};

/** The answer format the Accept header prefers: highest q, an exact type over a wildcard. */
export function negotiateAnswerFormat(accept: string | undefined): AnswerFormat | null {
  if (accept === undefined || accept.trim() === '') return 'json';
  let best: { format: AnswerFormat; q: number; exact: boolean } | null = null;
  for (const range of accept.split(',')) {
    const [type = '', ...parameters] = range.split(';');
    const format = FORMAT_OF[type.trim().toLowerCase()];
    if (format === undefined) continue;
    let q = 1;
    for (const parameter of parameters) {
      const [name, value] = parameter.split('=');
      if (name?.trim().toLowerCase() === 'q') q = Number(value);
    }
    if (!(q > 0)) continue;
    const exact = !type.includes('*');
    if (best === null || q > best.q || (q === best.q && exact && !best.exact)) best = { format, q, exact };
  }
  return best?.format ?? null;
}

const XML_ANSWER_ROUTES: ReadonlySet<string> = new Set([
  '/events',
  '/events/:eventID',
  '/queries/:name/events',
]);

/** Whether the route (its pattern) answers in XML too: the event queries and the resource views' /events. */
export function answersXml(routeUrl: string | undefined): boolean {
  if (routeUrl === undefined) return false;
  return XML_ANSWER_ROUTES.has(routeUrl) || /^\/[A-Za-z]+\/:value\/events$/.test(routeUrl);
}

/** For the service-wide Accept check: an XML answer route whose client takes XML. */
export function acceptsXmlAnswer(routeUrl: string | undefined, accept: string): boolean {
  return answersXml(routeUrl) && negotiateAnswerFormat(accept) === 'xml';
}
