// The Contents panel: what a case or pallet holds, three levels deep, as a tree of native
// <details> elements (keyboard and touch friendly without script), and whether it is on its way.
import { type ApiClient, describeError } from './api-client.js';
import type { Contents, ContentsNode, EpcState, TransitView } from './api-types.js';
import { element, fill, notice } from './dom.js';
import { idLink } from './id-label.js';
import { type SearchTarget } from './identifiers.js';
import { transitLabel } from './transit-label.js';

const DEPTH = 3;

function node(child: ContentsNode, onSelect: (epc: string) => void): HTMLElement {
  const open = idLink(child.epc, onSelect);
  if (child.childCount === 0) return element('li', { class: 'leaf' }, open);
  const shown = child.children.length;
  const summary = element(
    'summary',
    {},
    open,
    element('span', { class: 'count' }, `${child.childCount}`),
    shown < child.childCount && shown > 0
      ? element('span', { class: 'muted' }, ` (${shown} shown)`)
      : shown === 0
        ? element('span', { class: 'muted' }, ' (deeper)')
        : null,
  );
  return element(
    'li',
    {},
    element(
      'details',
      {},
      summary,
      element('ul', { class: 'tree' }, ...child.children.map((c) => node(c, onSelect))),
    ),
  );
}

/**
 * What it holds travels with it: a container on its way says so above its contents (with the
 * container above it whose shipment it is, if any), so none of them reads as being where it left.
 */
function transitLine(transit: TransitView | null): HTMLElement | null {
  if (transit === null) return null;
  return element(
    'p',
    { class: 'transit-line', 'data-testid': 'contents-transit' },
    transitLabel(transit, { showVia: true }),
    element('span', { class: 'muted' }, ', with everything inside'),
  );
}

export function renderContents(
  contents: Contents,
  onSelect: (epc: string) => void,
  transit: TransitView | null = null,
): HTMLElement {
  if (contents.children.length === 0) return notice('info', 'Holds nothing.');
  return element(
    'div',
    {},
    element(
      'p',
      { class: 'summary-line' },
      `${contents.total} item${contents.total === 1 ? '' : 's'} within ${contents.depth} level${contents.depth === 1 ? '' : 's'}`,
    ),
    transitLine(transit),
    contents.truncated
      ? notice('warning', 'The list is truncated: the container holds more than is shown.')
      : null,
    element('ul', { class: 'tree tree-root' }, ...contents.children.map((child) => node(child, onSelect))),
  );
}

/** `state` is the container's own state as the State panel loads it (null when it has none). */
export async function loadContents(
  api: ApiClient,
  target: SearchTarget,
  body: HTMLElement,
  search: { signal: AbortSignal; onSelect: (epc: string) => void; state: Promise<EpcState | null> },
): Promise<void> {
  if (target.kind === 'class') {
    fill(body, notice('info', 'A lot or product class is not a container.'));
    return;
  }
  fill(body, notice('info', 'Loading…'));
  try {
    const [{ body: contents }, state] = await Promise.all([
      api.getJson<Contents>(`/epcs/${encodeURIComponent(target.id)}/contents?depth=${DEPTH}`, search.signal),
      search.state,
    ]);
    fill(body, renderContents(contents, search.onSelect, state?.inTransit ?? null));
  } catch (error) {
    if (search.signal.aborted) return;
    fill(body, notice('error', describeError(error)));
  }
}
