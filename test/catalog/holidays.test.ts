/**
 * The holiday calendar: Tết Nguyên đán and Giỗ Tổ Hùng Vương from the Vietnamese lunar calendar
 * (checked against the days Vietnam kept), make-up days, the ward's announced days replacing the
 * computed ones, and the real unit file giving the right next opening on Tết 2027.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkContent } from '../../src/catalog/check-content.js';
import { computedTetDays, gioToDay, holidayCalendar, tetDay } from '../../src/catalog/holidays.js';
import { loadCatalog } from '../../src/catalog/load-catalog.js';
import { formatProblem } from '../../src/flow/yaml-source.js';
import { describeOpening, officeStatus } from '../../src/handoff/office-hours.js';
import { realAssistant, textFrom } from '../helpers/assistant.js';
import { handoffKit } from '../handoff/handoff-kit.js';
import { REAL_CONTENT_DIR, entryYaml, makeContentDir, type ContentDir } from './catalog-fixture.js';

const WEEKDAYS = { '1': ['07:30-11:30'], '2': ['07:30-11:30'], '3': ['07:30-11:30'], '4': ['07:30-11:30'], '5': ['07:30-11:30'] };
/** A local time in Vietnam (UTC+7) as epoch ms. */
const vn = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h - 7, mi);

let content: ContentDir | undefined;
afterEach(() => content?.remove());

describe('lunar holidays', () => {
  it('puts mùng 1 Tết on the days Vietnam celebrated it, also where the Chinese calendar differs', () => {
    const known: Record<number, string> = {
      1985: '1985-01-21', // China: 1985-02-20
      2007: '2007-02-17', // China: 2007-02-18
      2020: '2020-01-25',
      2021: '2021-02-12',
      2022: '2022-02-01',
      2023: '2023-01-22',
      2024: '2024-02-10',
      2025: '2025-01-29',
      2026: '2026-02-17',
      2027: '2027-02-06',
      2028: '2028-01-26',
      2030: '2030-02-02', // the new moon is at 23:07 in Hà Nội, 00:07 in Beijing: China 2030-02-03
    };
    for (const [year, date] of Object.entries(known)) expect(tetDay(Number(year)), year).toBe(date);
  });

  it('puts Giỗ Tổ Hùng Vương on 10/3 âm lịch', () => {
    expect([2022, 2023, 2024, 2025, 2026, 2027].map(gioToDay)).toEqual(['2022-04-10', '2023-04-29', '2024-04-18', '2025-04-07', '2026-04-26', '2027-04-16']);
  });

  it('computes Tết as the last day of the old year and mùng 1–4, as the 2026 notice gave them', () => {
    expect(computedTetDays(2026)).toEqual(['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20']);
  });

  it('makes up a computed holiday that falls at the weekend on the next working days', () => {
    const days = holidayCalendar({ years: {}, opening: WEEKDAYS, from: 2027, to: 2027 });
    // Tết 2027: Fri 05/02 – Tue 09/02; Sat 06 and Sun 07 are made up on Wed 10 and Thu 11.
    expect(days.filter((d) => d.startsWith('2027-02'))).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11']);
    // Giỗ Tổ 2026 is a Sunday: made up on Monday 27/04.
    expect(holidayCalendar({ years: {}, opening: WEEKDAYS, from: 2026, to: 2026 })).toContain('2026-04-27');
  });

  it('lets the announced days of a year replace the computed ones, and keeps listed dates as they are', () => {
    const days = holidayCalendar({
      years: { '2027': { dates: ['2027-09-02', '2027-09-03'], tet: ['2027-02-04', '2027-02-05', '2027-02-08'], gio_to: ['2027-04-16'] } },
      opening: WEEKDAYS,
      from: 2027,
      to: 2027,
    });
    expect(days).toEqual(['2027-02-04', '2027-02-05', '2027-02-08', '2027-04-16', '2027-09-02', '2027-09-03']);
  });
});

describe('the unit file', () => {
  it('holds no hand-written Tết or Giỗ Tổ date for 2027, yet the loaded unit closes on both', () => {
    const file = readFileSync(join(REAL_CONTENT_DIR, 'unit.yaml'), 'utf8');
    const uncommented = file.split('\n').map((line) => line.replace(/#.*$/, '')).join('\n');
    expect(uncommented).not.toMatch(/2027-02-0[5-9]|2027-04-16/);
    const { catalog } = loadCatalog(REAL_CONTENT_DIR, { today: '2026-12-01' });
    expect(catalog?.unit.holidays).toEqual(expect.arrayContaining(['2027-02-06', '2027-04-16', '2027-09-02', '2027-09-03']));
  });

  it('gives the right next opening on Tết, Giỗ Tổ and Quốc khánh 2027', () => {
    const { catalog } = loadCatalog(REAL_CONTENT_DIR, { today: '2026-12-01' });
    const unit = catalog!.unit;
    const next = (ms: number) => {
      const status = officeStatus(unit, ms);
      return status.open ? 'open' : status.nextOpening ? describeOpening(status.nextOpening, (key, vars) => realAssistant().engine.text(key, vars)) : 'never';
    };
    expect(next(vn(2027, 2, 4, 9))).toBe('open');
    expect(next(vn(2027, 2, 4, 17, 30))).toBe('7:30 Thứ Sáu, 12/02/2027');
    expect(next(vn(2027, 2, 6, 10))).toBe('7:30 Thứ Sáu, 12/02/2027');
    expect(next(vn(2027, 4, 15, 18))).toBe('7:30 Thứ Hai, 19/04/2027');
    expect(next(vn(2027, 9, 1, 18))).toBe('7:30 Thứ Hai, 06/09/2027');
  });

  it('refuses a date listed under the wrong year, with its line', () => {
    content = makeContentDir({ 'ket-hon.yaml': entryYaml('ket-hon', { name: 'Đăng ký kết hôn' }) });
    const path = join(content.dir, 'unit.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace('2027-05-03', '2028-05-03'));
    const { catalog, problems } = loadCatalog(content.dir, { today: '2026-12-01' });
    expect(catalog).toBeUndefined();
    expect(problems.map(formatProblem)).toContainEqual(expect.stringMatching(/^content\/unit\.yaml:\d+:\d+ \[unit\]: 2028-05-03 is not in 2027/));
  });

  it('reminds the ward from October when next year has no days listed', () => {
    content = makeContentDir({ 'ket-hon.yaml': entryYaml('ket-hon', { name: 'Đăng ký kết hôn' }) });
    const reminders = (today: string) => checkContent(content!.dir, { today, maxAgeDays: 10_000 }).warnings.filter((w) => w.where === 'unit').map((w) => w.message);
    expect(reminders('2027-09-30')).toEqual([]);
    expect(reminders('2027-10-01')).toEqual([expect.stringMatching(/^holidays: no days listed for 2028/)]);
  });
});

describe('the out-of-hours reply on Tết', () => {
  it('tells a citizen who asks for a person on mùng 1 Tết 2027 that staff answer from 7:30 Friday 12/02/2027', async () => {
    const kit = await handoffKit({ start: vn(2027, 2, 6, 10) });
    try {
      const turn = await kit.conversation.handleInbound(textFrom('tet-2027', 'gặp cán bộ', 'telegram'));
      const text = turn.replies.map((r) => r.text).join('\n');
      expect(text).toContain('ngoài giờ làm việc');
      expect(text).toContain('7:30 Thứ Sáu, 12/02/2027');
    } finally {
      await kit.close();
    }
  });
});
