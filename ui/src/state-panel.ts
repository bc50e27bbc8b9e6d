// The State panel: where the item is now (its own location, or its container's when the container
// was scanned later; while it is on its way, that it is in transit and where it left instead), its
// parent, its last event and the flags an operator must not miss.
import { ApiError, type ApiClient, describeError } from './api-client.js';
import type { EpcState } from './api-types.js';
import { element, fill, notice } from './dom.js';
import { idLabel, idLink } from './id-label.js';
import { type SearchTarget, wordOf } from './identifiers.js';
import { formatTime } from './time-format.js';
import { transitLabel } from './transit-label.js';

function row(label: string, key: string, ...value: (Node | string | null)[]): HTMLElement[] {
  return [element('dt', {}, label), element('dd', { 'data-field': key }, ...value)];
}

function flags(state: EpcState): HTMLElement {
  const list = element('ul', { class: 'flags' });
  const add = (text: string, kind: 'alert' | 'info', detail: string | null = null) =>
    list.append(
      element('li', { class: `flag flag-${kind}`, ...(detail === null ? {} : { title: detail }) }, text),
    );
  if (state.decommissioned) add('Decommissioned', 'alert', state.decommissionedBy);
  if (state.transformed.consumedBy !== null)
    add('Consumed by a transformation', 'alert', state.transformed.consumedBy);
  if (state.transformed.producedBy !== null)
    add('Produced by a transformation', 'info', state.transformed.producedBy);
  if (state.associatedWith !== null) add(`Associated`, 'info', state.associatedWith);
  if (state.childCount > 0) add(`Contains ${state.childCount}`, 'info');
  if (list.childElementCount === 0) list.append(element('li', { class: 'flag flag-none' }, 'none'));
  return list;
}

/** Where it is now; while in transit, that it is on its way and where it left instead. */
function currentLocation(state: EpcState): HTMLElement {
  const where = state.location;
  if (state.inTransit !== null)
    return transitLabel(state.inTransit, { showVia: true, readOnTheWay: where.readPoint });
  return element(
    'span',
    {},
    idLabel(where.bizLocation ?? where.readPoint),
    where.source === 'container' && where.via !== null
      ? element('span', { class: 'muted' }, ' via container ', idLabel(where.via))
      : null,
  );
}

function parentLine(state: EpcState, onSelect: (epc: string) => void): HTMLElement {
  const parent = state.parent;
  if (parent === null) return element('span', { class: 'muted' }, 'none');
  const place = parent.bizLocation ?? parent.readPoint;
  // The service answers no location for a parent on its way. When the item travels in a
  // container's shipment, that container is the parent or above it, so the parent is on its way.
  const travelling = place === null && state.inTransit !== null && state.inTransit.via !== null;
  return element(
    'span',
    {},
    idLink(parent.epc, onSelect),
    travelling
      ? element('span', { class: 'in-transit' }, ' in transit')
      : element('span', { class: 'muted' }, ' at '),
    travelling ? null : idLabel(place),
    element('span', { class: 'muted' }, `${travelling ? ', inside' : ''} since ${formatTime(parent.since)}`),
  );
}

export function renderState(state: EpcState, onSelect: (epc: string) => void): HTMLElement {
  const where = state.location;
  const last =
    state.lastEvent === null
      ? element('span', { class: 'muted' }, '—')
      : element(
          'span',
          {},
          element('strong', {}, wordOf(state.lastEvent.bizStep)),
          ` ${formatTime(state.lastEvent.eventTime)} `,
          idLabel(state.lastEvent.eventID, 'id muted'),
        );
  return element(
    'dl',
    { class: 'facts' },
    ...row('Location', 'location', currentLocation(state)),
    ...row('Read point', 'readPoint', idLabel(state.readPoint ?? where.readPoint)),
    ...row('Disposition', 'disposition', wordOf(state.disposition)),
    ...row('Parent', 'parent', parentLine(state, onSelect)),
    ...row('Last event', 'lastEvent', last),
    ...row('Flags', 'flags', flags(state)),
  );
}

export async function loadState(
  api: ApiClient,
  target: SearchTarget,
  body: HTMLElement,
  search: { signal: AbortSignal; onSelect: (epc: string) => void },
): Promise<EpcState | null> {
  if (target.kind === 'class') {
    fill(
      body,
      notice('info', 'A lot or product class has no single state; see its journey and trace below.'),
    );
    return null;
  }
  fill(body, notice('info', 'Loading…'));
  try {
    const { body: state } = await api.getJson<EpcState>(
      `/epcs/${encodeURIComponent(target.id)}/state`,
      search.signal,
    );
    fill(body, renderState(state, search.onSelect));
    return state;
  } catch (error) {
    // A newer search replaced this one; its own answer fills the panel.
    if (search.signal.aborted) return null;
    const never = error instanceof ApiError && error.status === 404;
    fill(body, notice(never ? 'warning' : 'error', describeError(error)));
    return null;
  }
}
