// EPCIS query schedules (second, minute, hour, dayOfMonth, month, dayOfWeek; EPCIS 1.2 §8.2.5.3 and
// the OpenAPI GS1-Query-* parameters) → a six-field cron expression evaluated in UTC by cron-parser.
// A field's value is a comma list of numbers and ranges, written "[1-5]" in EPCIS (cron's "1-5" and
// steps like "0/30" or "*/10" are accepted too). Fields finer than the finest one given run at their
// first value, coarser ones at every value: {"hour":"1","minute":"5"} fires once a day at 01:05:00.
import { CronExpressionParser } from 'cron-parser';

export const SCHEDULE_FIELDS = ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek'] as const;
export type ScheduleField = (typeof SCHEDULE_FIELDS)[number];
export type Schedule = Partial<Record<ScheduleField, string>>;

// Finest first; dayOfMonth and dayOfWeek are one level (either narrows the day).
const LEVEL: Record<ScheduleField, number> = {
  second: 0,
  minute: 1,
  hour: 2,
  dayOfMonth: 3,
  dayOfWeek: 3,
  month: 4,
};
// EPCIS numbers the days of the week 1 (Monday) to 7 (Sunday); cron reads 7 as Sunday too.
const RANGE: Record<ScheduleField, [number, number]> = {
  second: [0, 59],
  minute: [0, 59],
  hour: [0, 23],
  dayOfMonth: [1, 31],
  month: [1, 12],
  dayOfWeek: [1, 7],
};
const ELEMENT = /^(?:\*|\d{1,2}|\[?(\d{1,2})-(\d{1,2})\]?)(?:\/(\d{1,2}))?$/;

export type ScheduleResult =
  { ok: true; schedule: Schedule; cron: string } | { ok: false; field: string; detail: string };

/** Reads a schedule object (values as strings or numbers); `at` prefixes the field names in problems. */
export function parseSchedule(value: unknown, at: string): ScheduleResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      field: at,
      detail: `${at} must be an object of second, minute, hour, dayOfMonth, month and dayOfWeek.`,
    };
  }
  const schedule: Schedule = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const field = SCHEDULE_FIELDS.find((f) => f === name);
    const where = at === '' ? name : `${at}.${name}`;
    if (field === undefined) {
      return {
        ok: false,
        field: where,
        detail: `${where} is not a schedule field; use ${SCHEDULE_FIELDS.join(', ')}.`,
      };
    }
    const text = typeof raw === 'number' ? String(raw) : raw;
    if (typeof text !== 'string')
      return { ok: false, field: where, detail: `${where} must be a string like "0,30" or "[1-5]".` };
    const problem = fieldProblem(field, text.trim());
    if (problem !== null) return { ok: false, field: where, detail: `${where} ${problem}.` };
    schedule[field] = text.trim();
  }
  const given = SCHEDULE_FIELDS.filter((f) => schedule[f] !== undefined);
  if (given.length === 0) {
    return {
      ok: false,
      field: at,
      detail: `${at || 'the schedule'} needs at least one of ${SCHEDULE_FIELDS.join(', ')}.`,
    };
  }
  return { ok: true, schedule, cron: toCron(schedule) };
}

/** The first firing strictly after `afterMs`. */
export function nextFiringMs(cron: string, afterMs: number): number {
  return CronExpressionParser.parse(cron, { currentDate: new Date(afterMs), tz: 'UTC' })
    .next()
    .getTime();
}

function fieldProblem(field: ScheduleField, text: string): string | null {
  const [min, max] = RANGE[field];
  const expected = `must be a comma list of numbers ${min}–${max} and ranges like "[${min}-${min + 1}]"`;
  if (text === '') return expected;
  for (const element of text.split(',')) {
    const m = ELEMENT.exec(element);
    if (m === null) return `${expected}; got "${text}"`;
    const numbers =
      element === '*' || element.startsWith('*') ? [] : (element.match(/\d+/g) ?? []).map(Number);
    const bounds = m[3] === undefined ? numbers : numbers.slice(0, -1);
    if (bounds.some((n) => n < min || n > max)) return `${expected}; ${element} is out of range`;
    if (m[1] !== undefined && Number(m[1]) > Number(m[2])) return `${expected}; ${element} runs backwards`;
    if (m[3] !== undefined && Number(m[3]) === 0) return `${expected}; a step must be at least 1`;
  }
  return null;
}

function toCron(schedule: Schedule): string {
  const finest = Math.min(...SCHEDULE_FIELDS.filter((f) => schedule[f] !== undefined).map((f) => LEVEL[f]));
  const part = (field: ScheduleField): string => {
    const given = schedule[field];
    if (given !== undefined) return given.replace(/\[(\d+)-(\d+)\]/g, '$1-$2');
    if (LEVEL[field] >= finest || field === 'dayOfWeek') return '*';
    return String(RANGE[field][0]);
  };
  return ['second', 'minute', 'hour', 'dayOfMonth', 'month', 'dayOfWeek']
    .map((f) => part(f as ScheduleField))
    .join(' ');
}
