// The events of a journey: the item's own, and its containers' from the time the item was put in
// them (item, case, pallet), merged into one list in time order, each with the lane it came from.
import { type ApiClient, nextLink } from './api-client.js';
import type { EpcisEvent, EpcState, EventQueryDocument } from './api-types.js';
import type { SearchTarget } from './identifiers.js';

export const PER_PAGE = 200;
// Item, case, pallet: deeper nesting is rare and would make the timeline unreadable on a tablet.
const MAX_ANCESTORS = 2;

export interface Lane {
  id: string;
  role: string;
  /** Only events from this time on belong to the item's journey (when it was put in the container). */
  since: string | null;
}

async function lanesFor(
  api: ApiClient,
  target: SearchTarget,
  state: EpcState | null,
  signal: AbortSignal,
): Promise<Lane[]> {
  const lanes: Lane[] = [
    { id: state?.epc ?? target.id, role: target.kind === 'class' ? 'lot' : 'item', since: null },
  ];
  let parent = state?.parent ?? null;
  while (parent !== null && lanes.length <= MAX_ANCESTORS) {
    lanes.push({
      id: parent.epc,
      role: lanes.length === 1 ? 'container' : 'outer container',
      since: parent.since,
    });
    if (lanes.length > MAX_ANCESTORS) break;
    const next = await api
      .getJson<EpcState>(`/epcs/${encodeURIComponent(parent.epc)}/state`, signal)
      .then(({ body }) => body.parent)
      .catch(() => null);
    parent = next;
  }
  return lanes;
}

async function eventsOf(
  api: ApiClient,
  lane: Lane,
  kind: SearchTarget['kind'],
  signal: AbortSignal,
): Promise<{ events: EpcisEvent[]; more: boolean }> {
  const query = new URLSearchParams({
    [kind === 'class' && lane.since === null ? 'MATCH_anyEPCClass' : 'MATCH_anyEPC']: lane.id,
    orderBy: 'eventTime',
    orderDirection: 'ASC',
    perPage: String(PER_PAGE),
  });
  if (lane.since !== null) query.set('GE_eventTime', lane.since);
  const { body, response } = await api.getJson<EventQueryDocument>(`/events?${query}`, signal);
  return {
    events: body.epcisBody?.queryResults?.resultsBody?.eventList ?? [],
    more: nextLink(response) !== null,
  };
}

export interface JourneyRow {
  event: EpcisEvent;
  lane: Lane;
  /** Index of the lane (the timeline group). */
  index: number;
}

export async function loadJourney(
  api: ApiClient,
  target: SearchTarget,
  state: EpcState | null,
  signal: AbortSignal,
): Promise<{ lanes: Lane[]; rows: JourneyRow[]; truncated: boolean }> {
  const lanes = await lanesFor(api, target, state, signal);
  const perLane = await Promise.all(lanes.map((lane) => eventsOf(api, lane, target.kind, signal)));
  // An event that names both the item and its case (the packing) is shown once, on the item's lane.
  const seen = new Set<string>();
  const rows: JourneyRow[] = [];
  perLane.forEach(({ events }, index) => {
    for (const event of events) {
      const key = event.eventID ?? `${index}:${event.eventTime}:${rows.length}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({ event, lane: lanes[index]!, index });
    }
  });
  rows.sort((a, b) => Date.parse(a.event.eventTime ?? '') - Date.parse(b.event.eventTime ?? ''));
  return { lanes, rows, truncated: perLane.some((lane) => lane.more) };
}
