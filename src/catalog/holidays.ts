/**
 * @module The unit's holiday calendar: the days listed in `content/unit.yaml` plus Tết Nguyên đán
 * and Giỗ Tổ Hùng Vương computed from the Vietnamese lunar calendar for every year the ward has
 * not listed them, so office hours only read a list of dates.
 */
import { getSolarDate } from '@dqcai/vn-lunar';
import type { HolidayYear } from './types.js';

/**
 * Bộ luật Lao động 2019, Điều 112.1: Tết Âm lịch is 05 days. Computed as the last day of the old
 * lunar year and mùng 1–4, the arrangement the Government announced for 2026 (16–20/02/2026);
 * the ward lists the announced days under `tet` once they are known.
 */
const TET_DAYS_BEFORE = 1;
const TET_DAYS = 5;

/** The solar date (YYYY-MM-DD) of a day of the Vietnamese lunar calendar (UTC+7). */
export function lunarToSolar(lunarDay: number, lunarMonth: number, lunarYear: number): string {
  const { day, month, year } = getSolarDate(lunarDay, lunarMonth, lunarYear);
  return isoOf(year, month, day);
}

/** Mùng 1 Tết of a lunar year, e.g. 2027 → 2027-02-06. */
export function tetDay(year: number): string {
  return lunarToSolar(1, 1, year);
}

/** The five Tết days of a year as computed (see TET_DAYS_BEFORE). */
export function computedTetDays(year: number): string[] {
  const first = tetDay(year);
  return Array.from({ length: TET_DAYS }, (_, i) => addDays(first, i - TET_DAYS_BEFORE));
}

/** Giỗ Tổ Hùng Vương: 10/3 âm lịch, e.g. 2027 → 2027-04-16. */
export function gioToDay(year: number): string {
  return lunarToSolar(10, 3, year);
}

export interface HolidayCalendarOptions {
  /** `content/unit.yaml` `holidays`: year → listed days and announced lunar holidays. */
  years: Readonly<Record<string, HolidayYear>>;
  /** ISO weekday → opening periods: a weekday without periods is a weekly rest day. */
  opening: Readonly<Record<string, readonly string[]>>;
  /** The calendar years to cover (inclusive); listed years outside it are covered too. */
  from: number;
  to: number;
}

/**
 * Every closed day, sorted: the listed `dates` of each year as they are (the Government's notice
 * already includes make-up and swapped days), and Tết and Giỗ Tổ — announced or computed. A
 * computed day that falls on a weekly rest day is made up on the next working day that is not
 * already closed (Bộ luật Lao động 2019, Điều 111.3), as the law gives it.
 */
export function holidayCalendar(options: HolidayCalendarOptions): string[] {
  const listed = Object.keys(options.years).map(Number);
  const from = Math.min(options.from, ...listed);
  const to = Math.max(options.to, ...listed);
  const closed = new Set<string>();
  const computed: string[] = [];
  for (let year = from; year <= to; year += 1) {
    const entry = options.years[String(year)];
    for (const date of entry?.dates ?? []) closed.add(date);
    for (const date of entry?.tet ?? []) closed.add(date);
    for (const date of entry?.gio_to ?? []) closed.add(date);
    if (!entry?.tet) computed.push(...computedTetDays(year));
    if (!entry?.gio_to) computed.push(gioToDay(year));
  }
  const isRestDay = (date: string) => (options.opening[String(isoWeekday(date))] ?? []).length === 0;
  for (const date of computed) closed.add(date);
  for (const date of computed.sort()) {
    if (!isRestDay(date)) continue;
    let makeUp = addDays(date, 1);
    // Look at most two weeks ahead: a unit open on no weekday has no working day to make up.
    for (let i = 0; i < 14 && (isRestDay(makeUp) || closed.has(makeUp)); i += 1) makeUp = addDays(makeUp, 1);
    if (!isRestDay(makeUp) && !closed.has(makeUp)) closed.add(makeUp);
  }
  return [...closed].sort();
}

/** The listed dates that are not in the year they are listed under (a typo in the year). */
export function misplacedDates(years: Readonly<Record<string, HolidayYear>>): { year: string; field: keyof HolidayYear; index: number; date: string }[] {
  const found: { year: string; field: keyof HolidayYear; index: number; date: string }[] = [];
  for (const [year, entry] of Object.entries(years)) {
    for (const field of ['dates', 'tet', 'gio_to'] as const) {
      (entry[field] ?? []).forEach((date, index) => {
        if (!date.startsWith(`${year}-`)) found.push({ year, field, index, date });
      });
    }
  }
  return found;
}

function isoOf(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function addDays(iso: string, days: number): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function isoWeekday(iso: string): number {
  const day = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}
