// The pure parts of sync, without a broker: reconnect backoff, credential redaction, the wire
// format and the GLN → site table.
import type { ConsumeMessage } from 'amqplib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrackerCore } from '../../../host/core/gateway.js';
import { backoffDelay, RECONNECT_BACKOFF } from '../../../host/sync/backoff.js';
import { decodeEventMessage, encodeEventMessage } from '../../../host/sync/event-message.js';
import { redactText, redactUrl, secretsOf } from '../../../host/sync/redact.js';
import { SiteRoutes } from '../../../host/sync/site-routes.js';
import type { OutboxEntry } from '../../../host/store/outbox.js';
import { loadCore } from '../../helpers/core.js';

describe('reconnect backoff', () => {
  it('grows exponentially up to its cap, with jitter within [ceiling/2, ceiling]', () => {
    const policy = { initialMs: 100, maxMs: 1000, factor: 2 };
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect([1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, policy, () => 0))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
  });

  it('spreads the retries of many sites that lost the broker at once', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(6, RECONNECT_BACKOFF)));
    expect(delays.size).toBeGreaterThan(10);
  });
});

describe('credential redaction', () => {
  const url = 'amqp://edge:p%40ss-w0rd@broker.example:5671/site?heartbeat=5';

  it('hides the password of a broker URL, keeping the rest readable', () => {
    expect(redactUrl(url)).toBe('amqp://edge:***@broker.example:5671/site?heartbeat=5');
  });

  it('hides the password, raw or decoded, and any URL userinfo in error messages', () => {
    const message = `connect failed for ${url}; password p@ss-w0rd; also amqps://x:y@h`;
    const redacted = redactText(message, secretsOf(url));
    expect(redacted).not.toMatch(/p%40ss-w0rd|p@ss-w0rd|x:y@/);
    expect(redacted).toContain('broker.example');
  });
});

const entry: OutboxEntry = {
  seq: 7,
  enqueuedMs: 1_767_254_400_000,
  eventId: 'urn:uuid:6a1a1f86-5ee2-4b3a-9c3e-9d5c1c1e0b01',
  hashId: 'ni:///sha-256;abc?ver=CBV2.0',
  eventType: 'ObjectEvent',
  isDeclaration: true,
  declarationTimeMs: 1_767_340_800_000,
  recordTimeMs: 1_767_254_400_000,
  originSite: 'plant-1',
  bizLocation: null,
  destinations: [],
  contextJson: '["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",{"ex":"https://ex.org/"}]',
  body: '{"type":"ObjectEvent","eventID":"urn:uuid:6a1a1f86-5ee2-4b3a-9c3e-9d5c1c1e0b01"}',
};

const delivered = (message: ReturnType<typeof encodeEventMessage>): ConsumeMessage =>
  ({
    content: message.content,
    fields: {
      deliveryTag: 1,
      redelivered: false,
      exchange: 'x',
      routingKey: message.routingKey,
      consumerTag: 'c',
    },
    properties: { headers: message.options.headers, messageId: message.options.messageId },
  }) as unknown as ConsumeMessage;

describe('event message format', () => {
  it('wraps the stored event text and @context in an EPCISDocument, addressed by origin and CC', () => {
    const message = encodeEventMessage(entry, ['dc-2', 'dc-3']);
    expect(message.routingKey).toBe('origin.plant-1.ObjectEvent');
    expect(message.options).toMatchObject({
      persistent: true,
      messageId: `${entry.eventId}#declaration@${entry.declarationTimeMs}`,
      CC: ['site.dc-2', 'site.dc-3'],
      headers: {
        'x-event-id': entry.eventId,
        'x-origin-site': 'plant-1',
        'x-event-type': 'ObjectEvent',
        'x-record-time': entry.recordTimeMs,
        'x-declaration-time': entry.declarationTimeMs,
      },
    });
    const document = JSON.parse(message.content.toString('utf8')) as Record<string, unknown>;
    expect(document['@context']).toEqual(JSON.parse(entry.contextJson!));
    expect(message.content.toString('utf8')).toContain(`"eventList":[${entry.body}]`);
  });

  it('sends no CC header when the event is addressed to no other site', () => {
    expect(encodeEventMessage(entry, []).options.CC).toBeUndefined();
  });

  it('reads back what it wrote, and names the header that is missing or malformed', () => {
    const message = encodeEventMessage(entry, []);
    expect(decodeEventMessage(delivered(message))).toEqual({
      ok: true,
      event: {
        messageId: message.options.messageId,
        eventId: entry.eventId,
        originSite: 'plant-1',
        recordTimeMs: entry.recordTimeMs,
        declarationTimeMs: entry.declarationTimeMs,
        content: message.content,
      },
    });
    const withHeaders = (headers: Record<string, unknown>) =>
      decodeEventMessage(delivered({ ...message, options: { ...message.options, headers } }));
    const good = message.options.headers as Record<string, unknown>;
    expect(withHeaders({ ...good, 'x-origin-site': 'a.b' })).toEqual({
      ok: false,
      reason: 'missing or malformed header x-origin-site',
    });
    expect(withHeaders({ ...good, 'x-record-time': 'yesterday' })).toMatchObject({ ok: false });
    expect(withHeaders({ ...good, 'x-declaration-time': -1 })).toMatchObject({
      reason: 'malformed header x-declaration-time',
    });
  });
});

describe('site routes (GLN → site)', () => {
  let core: TrackerCore;
  beforeAll(async () => {
    core = await loadCore();
  });
  const at = (
    bizLocation: string | null,
    destinations: [string | null, string][] = [],
    originSite = 'plant-1',
  ) => ({
    originSite,
    bizLocation: bizLocation === null ? null : core.canonical(bizLocation).value,
    destinations: destinations.map(
      ([type, value]) => [type, core.canonical(value).value] as [string | null, string],
    ),
  });

  it('matches a GLN written in any form, its sub-locations and its party GLN', () => {
    const routes = SiteRoutes.fromObject(
      {
        '0614141007776': 'dc-2',
        'urn:epc:id:sgln:0614141.00888.0': 'dc-3',
        'https://id.gs1.org/417/0614141009992': 'dc-4',
      },
      core,
      'test',
    );
    expect(routes.sitesFor(at('https://id.gs1.org/414/0614141007776'))).toEqual(['dc-2']);
    expect(routes.sitesFor(at('urn:epc:id:sgln:0614141.00777.12'))).toEqual(['dc-2']);
    expect(
      routes
        .sitesFor(
          at(null, [
            ['urn:epcglobal:cbv:sdt:location', 'urn:epc:id:sgln:0614141.00888.0'],
            ['urn:epcglobal:cbv:sdt:owning_party', 'urn:epc:id:pgln:0614141.00999'],
          ]),
        )
        .sort(),
    ).toEqual(['dc-3', 'dc-4']);
    expect(routes.sites().sort()).toEqual(['dc-2', 'dc-3', 'dc-4']);
  });

  it('ignores possessing parties, unknown GLNs and the origin site itself', () => {
    const routes = SiteRoutes.fromObject({ '0614141007776': 'dc-2' }, core, 'test');
    expect(
      routes.sitesFor(
        at(null, [['urn:epcglobal:cbv:sdt:possessing_party', 'urn:epc:id:pgln:0614141.00777']]),
      ),
    ).toEqual([]);
    expect(routes.sitesFor(at('urn:epc:id:sgln:0614141.00888.0'))).toEqual([]);
    expect(routes.sitesFor(at('urn:epc:id:sgln:0614141.00777.0', [], 'dc-2'))).toEqual([]);
  });

  it('refuses a table naming an invalid GLN or an unsafe site id, naming the entry', () => {
    expect(() => SiteRoutes.fromObject({ '0614141007770': 'dc-2' }, core, 'routes.json')).toThrow(
      /routes.json: "0614141007770" is not a valid identifier \(GLN .*check digit/,
    );
    expect(() => SiteRoutes.fromObject({ '0614141007776': 'dc.2' }, core, 'routes.json')).toThrow(
      /the site of "0614141007776" must be a site id/,
    );
  });
});
