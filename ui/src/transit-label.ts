// "In transit since <time>, from <where it left>": how the console shows an item on its way, in the
// state panel, the contents panel and the trace alike. Where it left is not where it is, so it
// never takes the place of a location: it is worded and styled apart (class in-transit), and the
// departure time is a <time> element carrying the exact instant the service answered.
import type { TransitView } from './api-types.js';
import { element } from './dom.js';
import { idLabel } from './id-label.js';
import { formatTime } from './time-format.js';

/** The place it left: the last bizLocation, else the last readPoint (the dock door), else unknown. */
export function departure(from: TransitView['from']): HTMLElement {
  const place = from.bizLocation ?? from.readPoint;
  return place === null ? element('span', { class: 'muted' }, 'an unknown location') : idLabel(place);
}

/**
 * The transit as one line. `via` names the container whose shipment it is (the trace and state
 * panels show it; a container's own contents panel has no use for it). `readOnTheWay` is a reader
 * that saw it after it left, when the service knows one.
 */
export function transitLabel(
  transit: TransitView,
  options: { showVia: boolean; readOnTheWay?: string | null },
): HTMLElement {
  const readOnTheWay = options.readOnTheWay ?? null;
  return element(
    'span',
    { class: 'in-transit', 'data-in-transit': 'true' },
    element('strong', {}, 'In transit'),
    ' since ',
    element('time', { datetime: transit.since }, formatTime(transit.since)),
    ', from ',
    departure(transit.from),
    options.showVia && transit.via !== null
      ? element('span', { class: 'muted' }, ' via container ', idLabel(transit.via))
      : null,
    readOnTheWay === null
      ? null
      : element('span', { class: 'muted' }, '; read on the way at ', idLabel(readOnTheWay)),
  );
}
