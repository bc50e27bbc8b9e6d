// The Recall trace panel: everything reached from the searched identifier, forward (where did it
// go: the recall list) or backward (where did it come from), with a per-location summary that
// counts what is on its way apart, by where it left from.
import { type ApiClient, describeError, nextLink } from './api-client.js';
import type { Trace, TraceDirection, TraceNode } from './api-types.js';
import { element, fill, notice } from './dom.js';
import { idLabel, idLink } from './id-label.js';
import { type SearchTarget, wordOf } from './identifiers.js';
import { departure, transitLabel } from './transit-label.js';

const PER_PAGE = 100;

function nodeRow(node: TraceNode, onSelect: (epc: string) => void): HTMLElement {
  const open = idLink(node.epc, onSelect);
  const state = node.state;
  return element(
    'tr',
    state?.decommissioned === true ? { class: 'decommissioned' } : {},
    element('td', {}, open),
    element('td', { title: `via ${node.via}, from ${node.from}` }, `${node.relation} · ${node.depth}`),
    element(
      'td',
      {},
      state?.inTransit
        ? transitLabel(state.inTransit, { showVia: true, readOnTheWay: state.readPoint })
        : idLabel(state?.bizLocation ?? state?.readPoint),
    ),
    element('td', {}, state === null ? '—' : wordOf(state.disposition)),
  );
}

/** A summary group: where its nodes are, or that they are on their way and from where. */
function groupLabel(entry: Trace['summaryByLocation'][number]): Node | string {
  if (entry.inTransit)
    return element(
      'span',
      { class: 'in-transit' },
      element('strong', {}, 'In transit'),
      ' from ',
      departure({ bizLocation: entry.from, readPoint: null }),
    );
  return entry.bizLocation === null ? 'unknown location' : idLabel(entry.bizLocation);
}

function summaryTable(trace: Trace): HTMLElement | null {
  if (trace.direction !== 'forward' || trace.summaryByLocation.length === 0) return null;
  return element(
    'table',
    { class: 'summary', 'data-testid': 'trace-summary' },
    element('caption', {}, 'Per location'),
    element(
      'thead',
      {},
      element('tr', {}, element('th', {}, 'Location'), element('th', { class: 'num' }, 'Items')),
    ),
    element(
      'tbody',
      {},
      ...trace.summaryByLocation.map((entry) =>
        element(
          'tr',
          {},
          element('td', {}, groupLabel(entry)),
          element('td', { class: 'num' }, String(entry.count)),
        ),
      ),
    ),
  );
}

export class TracePanel {
  private direction: TraceDirection = 'forward';
  private target: SearchTarget | null = null;
  private generation = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly body: HTMLElement,
    private readonly toggle: HTMLElement,
    private readonly onSelect: (epc: string) => void,
  ) {
    for (const button of toggle.querySelectorAll<HTMLButtonElement>('button[data-direction]')) {
      button.addEventListener('click', () => {
        this.direction = button.dataset['direction'] === 'backward' ? 'backward' : 'forward';
        if (this.target !== null) void this.load(this.target);
      });
    }
  }

  private markDirection(): void {
    for (const button of this.toggle.querySelectorAll<HTMLButtonElement>('button[data-direction]')) {
      button.setAttribute('aria-pressed', String(button.dataset['direction'] === this.direction));
    }
  }

  async load(target: SearchTarget): Promise<void> {
    this.target = target;
    const generation = ++this.generation;
    this.markDirection();
    fill(this.body, notice('info', 'Tracing…'));
    const query = new URLSearchParams({ direction: this.direction, perPage: String(PER_PAGE) });
    try {
      const { body: trace, response } = await this.api.getJson<Trace>(
        `/trace/${encodeURIComponent(target.id)}?${query}`,
      );
      if (generation !== this.generation) return;
      this.render(trace, nextLink(response), generation);
    } catch (error) {
      if (generation === this.generation) fill(this.body, notice('error', describeError(error)));
    }
  }

  private render(trace: Trace, next: string | null, generation: number): void {
    const rows = element('tbody', {}, ...trace.nodes.map((node) => nodeRow(node, this.onSelect)));
    const more = element('button', { type: 'button', class: 'secondary' }, 'Show more');
    let nextPage = next;
    more.hidden = nextPage === null;
    more.addEventListener('click', async () => {
      if (nextPage === null) return;
      more.disabled = true;
      try {
        const { body: page, response } = await this.api.getJson<Trace>(nextPage);
        if (generation !== this.generation) return;
        rows.append(...page.nodes.map((node) => nodeRow(node, this.onSelect)));
        nextPage = nextLink(response);
        more.hidden = nextPage === null;
      } catch (error) {
        more.after(notice('error', describeError(error)));
      } finally {
        more.disabled = false;
      }
    });
    const heading = `${trace.total} ${trace.direction === 'forward' ? 'reached downstream' : 'found upstream'} of `;
    fill(
      this.body,
      element('p', { class: 'summary-line' }, heading, idLabel(trace.origin)),
      trace.truncated
        ? notice(
            'warning',
            `Truncated: ${trace.truncation?.reason ?? 'limit reached'}${trace.truncation === null ? '' : ` (limit ${trace.truncation.limit})`}. The real set may be larger.`,
          )
        : null,
      summaryTable(trace),
      trace.nodes.length === 0
        ? notice('info', 'Nothing linked to it in this direction.')
        : element(
            'div',
            { class: 'table-scroll' },
            element(
              'table',
              { class: 'events', 'data-testid': 'trace-nodes' },
              element(
                'thead',
                {},
                element(
                  'tr',
                  {},
                  ...['Identifier', 'Relation · depth', 'Location', 'Disposition'].map((h) =>
                    element('th', {}, h),
                  ),
                ),
              ),
              rows,
            ),
          ),
      more,
    );
  }
}
