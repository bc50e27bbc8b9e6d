import { describe, expect, it } from 'vitest';
import { parseSearch, shortId, wordOf } from '../../../ui/src/identifiers.js';

describe('the console search box', () => {
  it('takes EPC URNs and Digital Links of single items as they are', () => {
    expect(parseSearch(' urn:epc:id:sgtin:0614141.107346.2017 ')).toEqual({
      id: 'urn:epc:id:sgtin:0614141.107346.2017',
      kind: 'instance',
    });
    expect(parseSearch('https://id.gs1.org/01/10614141073464/21/2017')).toEqual({
      id: 'https://id.gs1.org/01/10614141073464/21/2017',
      kind: 'instance',
    });
  });

  it('treats lots (LGTIN URNs and Digital Links with a lot) as classes', () => {
    expect(parseSearch('urn:epc:class:lgtin:4012345.012345.998877')).toMatchObject({ kind: 'class' });
    expect(parseSearch('https://id.gs1.org/01/04012345123456/10/998877')).toMatchObject({ kind: 'class' });
  });

  it('turns a scanned SSCC (bare, with AI 00 or in brackets) into its Digital Link', () => {
    const id = 'https://id.gs1.org/00/106141412345678908';
    expect(parseSearch('106141412345678908')).toEqual({ id, kind: 'instance' });
    expect(parseSearch('00106141412345678908')).toEqual({ id, kind: 'instance' });
    expect(parseSearch(']C1(00)106141412345678908')).toEqual({ id, kind: 'instance' });
  });

  it('turns GS1 element strings with serial or lot into Digital Links', () => {
    expect(parseSearch('(01)10614141073464(21)2017')).toEqual({
      id: 'https://id.gs1.org/01/10614141073464/21/2017',
      kind: 'instance',
    });
    expect(parseSearch('(01)10614141073464(10)L 7')).toEqual({
      id: 'https://id.gs1.org/01/10614141073464/10/L%207',
      kind: 'class',
    });
  });

  it('says what it accepts when the input is none of these', () => {
    expect(parseSearch('pallet 7')).toMatchObject({ error: expect.stringContaining('SSCC') });
    expect(parseSearch('   ')).toMatchObject({ error: expect.stringContaining('scan') });
  });
});

describe('identifiers on screen', () => {
  it('shows Digital Links by key name and number', () => {
    expect(shortId('https://id.gs1.org/01/10614141073464/21/2017')).toBe('GTIN 10614141073464 #2017');
    expect(shortId('https://id.gs1.org/00/106141412345678908')).toBe('SSCC 106141412345678908');
    expect(shortId('https://id.gs1.org/414/0614141000005/254/0')).toBe('GLN 0614141000005 ext 0');
    expect(shortId('https://id.gs1.org/01/10614141073464/10/L%207')).toBe('GTIN 10614141073464 lot L 7');
  });

  it('shows CBV business steps and dispositions as words in either spelling', () => {
    expect(wordOf('https://ref.gs1.org/cbv/Disp-in_transit')).toBe('in transit');
    expect(wordOf('urn:epcglobal:cbv:bizstep:shipping')).toBe('shipping');
    expect(wordOf('receiving')).toBe('receiving');
  });

  it('shortens event hash IDs and URNs', () => {
    expect(
      shortId('ni:///sha-256;74f1dc48ee22289bc40ddd9f1d0ecae0dd09a2f4c3dfa66fdbca16cb2d8a4e77?ver=CBV2.0'),
    ).toBe('event 74f1dc48ee…');
    expect(shortId('urn:epc:id:sgln:0614141.00001.0')).toBe('SGLN 0614141.00001.0');
  });
});
