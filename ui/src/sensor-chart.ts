// Sensor readings (temperature, humidity, …) of the events on a journey, one line per measurement
// type and unit, plotted with Chart.js against time.
import {
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import type { EpcisEvent } from './api-types.js';
import { element } from './dom.js';
import { formatTime } from './time-format.js';

const TICK_TIME = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend);

// High-contrast colours that stay apart for colour-blind readers (Okabe–Ito).
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];

export interface Reading {
  series: string;
  timeMs: number;
  value: number;
}

function measurementName(type: string): string {
  return type.replace(/^.*[/:#-]/, '') || type;
}

/** Every numeric reading of the events, with the time it was taken (else the event's time). */
export function sensorReadings(events: readonly EpcisEvent[]): Reading[] {
  const readings: Reading[] = [];
  for (const event of events) {
    for (const sensorElement of event.sensorElementList ?? []) {
      for (const report of sensorElement.sensorReport ?? []) {
        const value = report.value ?? report.meanValue;
        const time = report.time ?? sensorElement.sensorMetadata?.time ?? event.eventTime;
        if (typeof value !== 'number' || time === undefined || report.type === undefined) continue;
        const timeMs = Date.parse(time);
        if (Number.isNaN(timeMs)) continue;
        const unit = report.uom === undefined ? '' : ` (${report.uom})`;
        readings.push({ series: `${measurementName(report.type)}${unit}`, timeMs, value });
      }
    }
  }
  return readings.sort((a, b) => a.timeMs - b.timeMs);
}

export class SensorChart {
  private chart: Chart<'line', { x: number; y: number }[]> | null = null;

  constructor(private readonly host: HTMLElement) {}

  show(readings: readonly Reading[]): void {
    this.chart?.destroy();
    this.chart = null;
    if (readings.length === 0) {
      this.host.replaceChildren(element('p', { class: 'muted' }, 'No sensor readings on this journey.'));
      return;
    }
    const canvas = element('canvas', { role: 'img', 'aria-label': 'Sensor readings over time' });
    this.host.replaceChildren(element('div', { class: 'chart-box' }, canvas));
    const bySeries = new Map<string, { x: number; y: number }[]>();
    for (const reading of readings) {
      const points = bySeries.get(reading.series) ?? [];
      points.push({ x: reading.timeMs, y: reading.value });
      bySeries.set(reading.series, points);
    }
    const datasets: ChartDataset<'line', { x: number; y: number }[]>[] = [...bySeries].map(
      ([series, points], index) => ({
        label: series,
        data: points,
        borderColor: COLOURS[index % COLOURS.length],
        backgroundColor: COLOURS[index % COLOURS.length],
        borderWidth: 3,
        pointRadius: 5,
        // Each unit gets its own axis so °C and % do not squash each other.
        yAxisID: index === 0 ? 'y' : `y${index}`,
      }),
    );
    const scales: Record<string, object> = {
      x: {
        type: 'linear',
        ticks: {
          callback: (value: number | string) => TICK_TIME.format(new Date(Number(value))),
          maxTicksLimit: 6,
        },
      },
    };
    datasets.forEach((dataset, index) => {
      scales[String(dataset.yAxisID)] = {
        type: 'linear',
        position: index % 2 === 0 ? 'left' : 'right',
        title: { display: true, text: dataset.label },
        grid: { drawOnChartArea: index === 0 },
      };
    });
    this.chart = new Chart<'line', { x: number; y: number }[]>(canvas, {
      type: 'line',
      data: { datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        scales,
        plugins: {
          legend: { labels: { font: { size: 14 } } },
          tooltip: {
            callbacks: {
              title: (items) =>
                items[0] === undefined ? '' : formatTime(new Date(items[0].parsed.x ?? 0).toISOString()),
            },
          },
        },
      },
    });
  }
}
