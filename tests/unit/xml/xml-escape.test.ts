import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { xmlAttribute, xmlText } from '../../../host/xml/xml-escape.js';

/** What an XML parser reads back from `<e a="…">…</e>`. */
function readBack(text: string): { text: string; attribute: string } {
  const parser = new SaxesParser();
  let read = '';
  let attribute = '';
  parser.on('text', (t) => (read += t));
  parser.on('opentag', (tag) => (attribute = String(tag.attributes['a'])));
  parser.write(`<e a="${xmlAttribute(text)}">${xmlText(text)}</e>`).close();
  return { text: read, attribute };
}

describe('XML text and attribute escaping', () => {
  it('reads back as written: markup characters, line ends, tabs, non-BMP characters', () => {
    const text = `a & b < c > d "quoted" 'single'\r\n\ttab 📦 Grüße`;
    expect(readBack(text)).toEqual({ text, attribute: text });
  });

  it.each([
    ['a NUL', 'x\u0000y'],
    ['a vertical tab', 'x\u000By'],
    ['an escape character', 'x\u001By'],
    ['a lone high surrogate', 'x\uD83Dy'],
    ['a lone low surrogate', 'x\uDCE6y'],
    ['U+FFFE', 'x\uFFFEy'],
  ])('replaces %s, which XML 1.0 cannot carry, with U+FFFD', (_name, text) => {
    expect(xmlText(text)).toBe('x\uFFFDy');
    expect(readBack(text).text).toBe('x\uFFFDy');
  });

  it('keeps a surrogate pair whose halves are preceded by a lone high surrogate', () => {
    expect(xmlText('\uD83D\uD83D\uDCE6')).toBe('\uFFFD📦');
  });
});
