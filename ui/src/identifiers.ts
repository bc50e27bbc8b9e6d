// Identifiers as an operator reads them: a short label (key type and number) with the full value
// on hover, and the many spellings a scanner or a person may type turned into one the API takes.
// GS1 Application Identifiers of Digital Link primary keys, with the name operators know them by.
const PRIMARY_KEYS: Record<string, string> = {
  '00': 'SSCC',
  '01': 'GTIN',
  '253': 'GDTI',
  '255': 'GCN',
  '401': 'GINC',
  '402': 'GSIN',
  '414': 'GLN',
  '417': 'PGLN',
  '8003': 'GRAI',
  '8004': 'GIAI',
  '8006': 'ITIP',
  '8010': 'CPID',
  '8017': 'GSRN-P',
  '8018': 'GSRN',
};
const QUALIFIERS: Record<string, string> = {
  '21': '#',
  '10': 'lot ',
  '254': 'ext ',
  '235': 'TPX ',
  '7010': '',
};

/** A short readable label for an identifier; the caller shows the full value on hover. */
export function shortId(id: string): string {
  const link = /^https?:\/\/[^/]+\/(\d{2,4})\/([^/?#]+)((?:\/\d{2,4}\/[^/?#]+)*)/.exec(id);
  if (link !== null && PRIMARY_KEYS[link[1]!] !== undefined) {
    const parts = [`${PRIMARY_KEYS[link[1]!]} ${decodeURIComponent(link[2]!)}`];
    const qualifiers = link[3]!.split('/').filter((part) => part !== '');
    for (let i = 0; i + 1 < qualifiers.length; i += 2) {
      const label = QUALIFIERS[qualifiers[i]!] ?? `(${qualifiers[i]}) `;
      parts.push(`${label}${decodeURIComponent(qualifiers[i + 1]!)}`);
    }
    return parts.join(' ');
  }
  const urn = /^urn:epc:(?:id|class|idpat):([a-z0-9-]+):(.+)$/i.exec(id);
  if (urn !== null) return `${urn[1]!.toUpperCase()} ${urn[2]}`;
  const hashId = /^ni:\/\/\/sha-256;([0-9a-f]{10})/i.exec(id);
  if (hashId !== null) return `event ${hashId[1]}…`;
  const vocabulary = vocabularyWord(id);
  if (vocabulary !== null) return vocabulary;
  return id.length > 42 ? `${id.slice(0, 20)}…${id.slice(-18)}` : id;
}

/** The bare CBV word of a business step or disposition, in either spelling (URI or URN). */
export function vocabularyWord(value: string): string | null {
  const match =
    /^https?:\/\/ref\.gs1\.org\/cbv\/(?:BizStep|Disp|BTT|SDT|ER)-([A-Za-z_]+)$/.exec(value) ??
    /^urn:epcglobal:cbv:(?:bizstep|disp|btt|sdt|er):([A-Za-z_]+)$/.exec(value);
  return match === null ? null : match[1]!.replace(/_/g, ' ');
}

/** A bizStep or disposition as words ("in transit"), whatever form it was captured in. */
export function wordOf(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return vocabularyWord(value) ?? value.replace(/_/g, ' ');
}

export type SearchKind = 'instance' | 'class';

export interface SearchTarget {
  /** What the API is asked about: a URN or a GS1 Digital Link. */
  id: string;
  /** A lot or product class (no single state or contents) or one physical thing. */
  kind: SearchKind;
}

// GS1 element strings as barcode scanners send them, e.g. "(01)09521234543213(21)ABC" or with the
// FNC1 group separator instead of brackets.
const ELEMENT = /\((\d{2,4})\)([^(]+)/g;

function fromElementString(text: string): string | null {
  const fields = new Map<string, string>();
  for (const match of text.matchAll(ELEMENT)) fields.set(match[1]!, match[2]!.trim());
  if (fields.size === 0) return null;
  const sscc = fields.get('00');
  if (sscc !== undefined) return `https://id.gs1.org/00/${sscc}`;
  const gtin = fields.get('01');
  if (gtin === undefined) return null;
  const serial = fields.get('21');
  if (serial !== undefined) return `https://id.gs1.org/01/${gtin}/21/${encodeURIComponent(serial)}`;
  const lot = fields.get('10');
  if (lot !== undefined) return `https://id.gs1.org/01/${gtin}/10/${encodeURIComponent(lot)}`;
  return `https://id.gs1.org/01/${gtin}`;
}

/** Turns what was typed or scanned into an identifier for the API, or explains why it cannot. */
export function parseSearch(input: string): SearchTarget | { error: string } {
  // Scanners may prefix a symbology identifier (]C1, ]d2, ]Q3) and use GS (0x1d) as separator.
  const text = input
    .trim()
    .replace(/^\][A-Za-z]\d/, '')
    .trim();
  if (text === '') return { error: 'type or scan an EPC, a lot or a container' };
  if (/^\d{18}$/.test(text)) return { id: `https://id.gs1.org/00/${text}`, kind: 'instance' };
  if (/^00\d{18}$/.test(text)) return { id: `https://id.gs1.org/00/${text.slice(2)}`, kind: 'instance' };
  const id = text.startsWith('(') ? fromElementString(text) : text;
  if (id === null) return { error: `cannot read "${text}" as a GS1 element string` };
  if (/^urn:epc:class:/i.test(id)) return { id, kind: 'class' };
  if (/^urn:epc:id:/i.test(id)) return { id, kind: 'instance' };
  if (/^https?:\/\//i.test(id)) {
    const path = id.replace(/^https?:\/\/[^/]+/, '').split(/[?#]/)[0]!;
    const isClass = /^\/01\/[^/]+(\/(10|22)\/[^/]+)?\/?$/.test(path);
    return { id, kind: isClass ? 'class' : 'instance' };
  }
  return {
    error: `"${text}" is not an EPC URN (urn:epc:id:…), a lot (urn:epc:class:lgtin:…), a GS1 Digital Link or an SSCC`,
  };
}
