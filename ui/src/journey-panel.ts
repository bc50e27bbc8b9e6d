// The Journey panel: every event of the item, and of the containers it travelled in while it was
// inside them, on a vis-timeline (one row per identifier), a list of the same events for reading,
// and the sensor readings among them on a chart.
import { DataSet } from 'vis-data';
import { Timeline, type DataGroup, type DataItem } from 'vis-timeline';
import { type ApiClient, describeError } from './api-client.js';
import type { EpcisEvent, EpcState } from './api-types.js';
import { element, fill, notice } from './dom.js';
import { eventLocation, eventTitle } from './event-text.js';
import { idLabel } from './id-label.js';
import { shortId, type SearchTarget, wordOf } from './identifiers.js';
import { type JourneyRow, type Lane, loadJourney, PER_PAGE } from './journey-events.js';
import { SensorChart, sensorReadings } from './sensor-chart.js';
import { formatTime } from './time-format.js';

function itemContent(event: EpcisEvent): HTMLElement {
  return element(
    'div',
    { class: 'tl-item' },
    element('strong', {}, eventTitle(event)),
    element('span', { class: 'tl-where' }, eventLocation(event)),
  );
}

function eventRow(event: EpcisEvent, lane: Lane): HTMLElement {
  const sensors = (event.sensorElementList?.length ?? 0) > 0;
  return element(
    'tr',
    { 'data-event': event.eventID ?? '', title: `recorded on the ${lane.role} ${lane.id}` },
    element('td', { class: 'nowrap' }, formatTime(event.eventTime)),
    element(
      'td',
      {},
      element('strong', {}, eventTitle(event)),
      lane.role === 'item' || lane.role === 'lot'
        ? null
        : element('span', { class: 'muted' }, ` (${lane.role})`),
      sensors ? element('span', { class: 'badge' }, 'sensor') : null,
    ),
    element('td', {}, idLabel(event.bizLocation?.id ?? event.readPoint?.id)),
    element('td', {}, wordOf(event.disposition)),
  );
}

export class JourneyPanel {
  private timeline: Timeline | null = null;
  private readonly chart: SensorChart;

  constructor(
    private readonly api: ApiClient,
    private readonly body: HTMLElement,
    chartHost: HTMLElement,
  ) {
    this.chart = new SensorChart(chartHost);
  }

  async load(target: SearchTarget, state: EpcState | null, signal: AbortSignal): Promise<void> {
    this.timeline?.destroy();
    this.timeline = null;
    fill(this.body, notice('info', 'Loading…'));
    try {
      const { lanes, rows, truncated } = await loadJourney(this.api, target, state, signal);
      if (signal.aborted) return;
      this.render(lanes, rows);
      if (truncated) {
        this.body.prepend(
          notice(
            'warning',
            `Showing the first ${PER_PAGE} events of each identifier; search a narrower one.`,
          ),
        );
      }
      this.chart.show(sensorReadings(rows.map((row) => row.event)));
    } catch (error) {
      if (signal.aborted) return;
      fill(this.body, notice('error', describeError(error)));
      this.chart.show([]);
    }
  }

  private render(lanes: Lane[], rows: JourneyRow[]): void {
    if (rows.length === 0) {
      fill(this.body, notice('warning', 'No events recorded for this identifier.'));
      return;
    }
    const timelineHost = element('div', { class: 'timeline', 'data-testid': 'timeline' });
    const list = element(
      'table',
      { class: 'events' },
      element(
        'thead',
        {},
        element('tr', {}, ...['Time', 'Step', 'Where', 'Disposition'].map((h) => element('th', {}, h))),
      ),
      element('tbody', {}, ...rows.map((row) => eventRow(row.event, row.lane))),
    );
    fill(this.body, timelineHost, element('div', { class: 'table-scroll' }, list));
    const groups = new DataSet<DataGroup>(
      lanes.map((lane, index) => ({
        id: index,
        content: element(
          'span',
          { title: lane.id },
          element('small', {}, lane.role),
          element('br'),
          shortId(lane.id),
        ),
      })),
    );
    // Item content is built as DOM (text only, never HTML) and handed to vis-timeline by the template.
    const contents = new Map<string, HTMLElement>();
    const items = new DataSet<DataItem>(
      rows.map((row, index) => ({
        id: row.event.eventID ?? `event-${index}`,
        group: row.index,
        start: new Date(row.event.eventTime ?? 0),
        content: eventTitle(row.event),
        title: `${eventTitle(row.event)} · ${formatTime(row.event.eventTime)} · ${eventLocation(row.event)}`,
        className: (row.event.sensorElementList?.length ?? 0) > 0 ? 'tl-sensor' : '',
      })),
    );
    rows.forEach((row, index) => contents.set(row.event.eventID ?? `event-${index}`, itemContent(row.event)));
    this.timeline = new Timeline(timelineHost, items, groups, {
      template: (item: DataItem | undefined) =>
        (item === undefined ? undefined : contents.get(String(item.id))) ?? item?.content ?? '',
      stack: true,
      orientation: 'top',
      maxHeight: 380,
      margin: { item: 6, axis: 6 },
      zoomKey: 'ctrlKey',
      horizontalScroll: false,
      tooltip: { followMouse: false },
      xss: { disabled: false },
    });
    this.timeline.on('select', ({ items: selected }: { items: string[] }) => {
      for (const tr of list.querySelectorAll('tr.selected')) tr.classList.remove('selected');
      for (const id of selected)
        list.querySelector(`tr[data-event="${CSS.escape(id)}"]`)?.classList.add('selected');
    });
  }
}
