import { describe, expect, it } from 'vitest';
import { SseParser } from '../../../ui/src/sse-parser.js';

describe('the console live feed parser', () => {
  it('reads id, event and data of each message and skips ping comments', () => {
    const parser = new SseParser();
    const events = parser.push(
      ': ping\n\nid: 7\nevent: epcis-event\ndata: {"a":1}\n\nid: 8\nevent: epcis-event\ndata: {"b":2}\n\n',
    );
    expect(events).toEqual([
      { id: '7', event: 'epcis-event', data: '{"a":1}' },
      { id: '8', event: 'epcis-event', data: '{"b":2}' },
    ]);
  });

  it('gives the same messages however the stream is cut into chunks, CRLF split included', () => {
    const text =
      'id: 41\r\nevent: epcis-event\r\ndata: line one\r\ndata: line two\r\n\r\n: ping\r\n\r\nid: 42\ndata: x\n\n';
    const whole = new SseParser().push(text);
    for (let size = 1; size <= 7; size += 1) {
      const parser = new SseParser();
      const chunked = [];
      for (let at = 0; at < text.length; at += size) chunked.push(...parser.push(text.slice(at, at + size)));
      expect(chunked, `chunks of ${size}`).toEqual(whole);
    }
    expect(whole).toEqual([
      { id: '41', event: 'epcis-event', data: 'line one\nline two' },
      { id: '42', event: 'message', data: 'x' },
    ]);
  });

  it('keeps the last id for messages that carry none (the Last-Event-ID to resume from)', () => {
    const events = new SseParser().push('id: 5\ndata: a\n\ndata: b\n\n');
    expect(events.map((event) => event.id)).toEqual(['5', '5']);
  });
});
