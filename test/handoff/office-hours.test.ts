/**
 * Office hours from content/unit.yaml's shape: open periods by ISO weekday in the unit's time
 * zone, holidays, and the next opening said in Vietnamese (in content's words).
 */
import { describe, expect, it } from 'vitest';
import { describeOpening, officeStatus } from '../../src/handoff/office-hours.js';
import { realAssistant } from '../helpers/assistant.js';

// The words come from content/texts.yaml (handoff.opening_today, handoff.opening_day, handoff.weekday.*).
const text = (key: string, vars?: Record<string, unknown>) => realAssistant().engine.text(key, vars);

const unit = {
  timezone: 'Asia/Ho_Chi_Minh',
  opening: { '1': ['07:30-11:30', '13:30-17:00'], '2': ['07:30-11:30', '13:30-17:00'], '3': ['07:30-11:30', '13:30-17:00'], '4': ['07:30-11:30', '13:30-17:00'], '5': ['07:30-11:30', '13:30-17:00'] },
  holidays: ['2027-09-02', '2027-09-03'],
};
/** A local time in Vietnam (UTC+7, no DST) as epoch ms. */
const vn = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h - 7, mi);
const next = (ms: number) => {
  const status = officeStatus(unit, ms);
  return status.open ? 'open' : status.nextOpening ? describeOpening(status.nextOpening, text) : 'never';
};

describe('office hours', () => {
  it('is open inside the periods and closed at lunch, in the evening and at the weekend', () => {
    expect(next(vn(2026, 6, 1, 7, 30))).toBe('open');
    expect(next(vn(2026, 6, 1, 11, 29))).toBe('open');
    expect(next(vn(2026, 6, 1, 11, 30))).toBe('13:30 hôm nay');
    expect(next(vn(2026, 6, 1, 6, 0))).toBe('7:30 hôm nay');
    expect(next(vn(2026, 6, 1, 17, 0))).toBe('7:30 Thứ Ba, 02/06/2026');
    expect(next(vn(2026, 6, 5, 18, 0))).toBe('7:30 Thứ Hai, 08/06/2026');
    expect(next(vn(2026, 6, 7, 23, 59))).toBe('7:30 Thứ Hai, 08/06/2026');
  });

  it('uses the unit time zone, not the server clock: 01:00 UTC Monday is 08:00 in Vietnam', () => {
    expect(next(Date.UTC(2026, 5, 1, 1, 0))).toBe('open');
    // Sunday 23:30 UTC is Monday 06:30 in Vietnam.
    expect(next(Date.UTC(2026, 5, 7, 23, 30))).toBe('7:30 hôm nay');
  });

  it('skips holidays, also several in a row', () => {
    expect(next(vn(2027, 9, 2, 9, 0))).toBe('7:30 Thứ Hai, 06/09/2027');
    expect(next(vn(2027, 9, 1, 18, 0))).toBe('7:30 Thứ Hai, 06/09/2027');
  });

  it('says nothing about a next opening when the unit never opens', () => {
    expect(officeStatus({ ...unit, opening: {} }, vn(2026, 6, 1, 9))).toEqual({ open: false });
  });
});
