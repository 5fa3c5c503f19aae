/**
 * @module Office hours of the unit: is a person at the desk now, and if not, when will one answer
 * next. Reads the machine-readable `opening` (ISO weekday → "HH:MM-HH:MM" periods, local time in
 * `unit.timezone`) and the `holidays` list of content/unit.yaml; the clock is passed in.
 */
import type { Unit } from '../catalog/types.js';

export type OfficeHoursUnit = Pick<Unit, 'opening' | 'timezone' | 'holidays'>;

export interface OfficeStatus {
  open: boolean;
  /** When the desk opens next (only when closed): local date and time, for the citizen to read. */
  nextOpening?: { date: string; time: string; weekday: number; today: boolean };
}

/** How far ahead we look for an opening (a long Tết break is about ten days). */
const LOOKAHEAD_DAYS = 21;


export function officeStatus(unit: OfficeHoursUnit, nowMs: number): OfficeStatus {
  const local = localParts(nowMs, unit.timezone);
  const holidays = new Set(unit.holidays);
  const minutesNow = local.hour * 60 + local.minute;

  for (let offset = 0; offset <= LOOKAHEAD_DAYS; offset += 1) {
    // Calendar arithmetic on the local date, done in UTC so no time zone shifts it.
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day + offset));
    const iso = day.toISOString().slice(0, 10);
    const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
    if (holidays.has(iso)) continue;
    for (const period of unit.opening[String(weekday)] ?? []) {
      const [start, end] = period.split('-').map(toMinutes) as [number, number];
      if (offset === 0 && minutesNow >= start && minutesNow < end) return { open: true };
      if (offset > 0 || minutesNow < start) {
        return {
          open: false,
          nextOpening: {
            date: `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`,
            time: `${Math.floor(start / 60)}:${String(start % 60).padStart(2, '0')}`,
            weekday,
            today: offset === 0,
          },
        };
      }
    }
  }
  return { open: false };
}

/**
 * "13:30 hôm nay" or "7:30 Thứ Hai, 05/01/2027", in the words of content/texts.yaml
 * (`handoff.opening_today`, `handoff.opening_day`, `handoff.weekday.1` … `.7`).
 */
export function describeOpening(next: NonNullable<OfficeStatus['nextOpening']>, text: (key: string, vars?: Record<string, unknown>) => string): string {
  return next.today
    ? text('handoff.opening_today', { time: next.time })
    : text('handoff.opening_day', { time: next.time, weekday: text(`handoff.weekday.${next.weekday}`), date: next.date });
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.trim().split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

// Making a DateTimeFormat costs far more than using one (it showed in the turn's profile): one per time zone.
const formats = new Map<string, Intl.DateTimeFormat>();

function localParts(nowMs: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number } {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(new Date(nowMs));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}
