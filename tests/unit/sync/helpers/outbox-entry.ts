// The outbox row another site's relay publishes for event `n`: what the sync tests send as messages.
import type { OutboxEntry } from '../../../../host/store/outbox.js';
import { EPCIS_CONTEXT, objectEvent, sgtin } from '../../../helpers/epcis-builders.js';

export function outboxEntry(
  n: number,
  from: { originSite?: string; recordTimeMs?: number; body?: string } = {},
): OutboxEntry {
  return {
    seq: n,
    enqueuedMs: 1000,
    eventId: `urn:uuid:e-${n}`,
    hashId: '',
    eventType: 'ObjectEvent',
    isDeclaration: false,
    declarationTimeMs: null,
    recordTimeMs: from.recordTimeMs ?? 1000 + n,
    originSite: from.originSite ?? 'site-x',
    bizLocation: null,
    destinations: [],
    contextJson: JSON.stringify([EPCIS_CONTEXT]),
    body:
      from.body ??
      JSON.stringify({
        ...objectEvent('2026-01-01T00:00:00Z', 'OBSERVE', [sgtin(n)]),
        eventID: `urn:uuid:e-${n}`,
      }),
  };
}
