// EPCIS query schedules → firing times (UTC).
import { describe, expect, it } from 'vitest';
import { nextFiringMs, parseSchedule } from '../../../host/queries/schedule.js';

const at = (iso: string) => Date.parse(iso);
const next = (schedule: Record<string, string>, after: string) => {
  const parsed = parseSchedule(schedule, 'schedule');
  if (!parsed.ok) throw new Error(parsed.detail);
  return new Date(nextFiringMs(parsed.cron, at(after))).toISOString();
};

describe('query schedules', () => {
  it('fires {"hour":"1","minute":"5"} once a day at 01:05:00', () => {
    expect(next({ hour: '1', minute: '5' }, '2026-03-01T00:00:00Z')).toBe('2026-03-01T01:05:00.000Z');
    expect(next({ hour: '1', minute: '5' }, '2026-03-01T01:05:00Z')).toBe('2026-03-02T01:05:00.000Z');
  });

  it('reads EPCIS ranges "[a-b]", lists and steps', () => {
    expect(next({ second: '0/30' }, '2026-03-01T00:00:10Z')).toBe('2026-03-01T00:00:30.000Z');
    expect(next({ minute: '[10-12],40' }, '2026-03-01T00:12:30Z')).toBe('2026-03-01T00:40:00.000Z');
  });

  it('numbers days of the week from 1 (Monday) to 7 (Sunday)', () => {
    // 2026-03-01 is a Sunday.
    expect(next({ dayOfWeek: '7', hour: '6' }, '2026-02-27T00:00:00Z')).toBe('2026-03-01T06:00:00.000Z');
    expect(next({ dayOfWeek: '1', hour: '6' }, '2026-03-01T07:00:00Z')).toBe('2026-03-02T06:00:00.000Z');
  });

  it.each([
    [{}, 'schedule'],
    [{ minute: '60' }, 'schedule.minute'],
    [{ hour: '[5-2]' }, 'schedule.hour'],
    [{ dayOfWeek: '0' }, 'schedule.dayOfWeek'],
    [{ weekday: '1' }, 'schedule.weekday'],
    [{ second: 'often' }, 'schedule.second'],
  ])('refuses %j naming %s', (schedule, field) => {
    const parsed = parseSchedule(schedule, 'schedule');

    expect(parsed).toMatchObject({ ok: false, field });
  });
});
