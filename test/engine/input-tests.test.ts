import { describe, expect, it } from 'vitest';
import { inputTests } from '../../src/engine/input-tests/index.js';

function check(type: string, text: string, options: Record<string, unknown> = {}) {
  const test = inputTests.get(type);
  if (!test) throw new Error(`no input test ${type}`);
  return test.check(text, test.options.parse(options));
}

describe('input tests', () => {
  it('text: trims, collapses spaces, bounds the length', () => {
    expect(check('text', '  đèn   đường hỏng ')).toEqual({ ok: true, value: 'đèn đường hỏng' });
    expect(check('text', '   ')).toEqual({ ok: false });
    expect(check('text', 'abcdef', { max_length: 5 })).toEqual({ ok: false });
    expect(check('text', 'ab', { min_length: 3 })).toEqual({ ok: false });
  });

  it('number: Vietnamese thousands and decimals, range and integer', () => {
    expect(check('number', '1.000.000')).toEqual({ ok: true, value: 1_000_000 });
    expect(check('number', '2,5')).toEqual({ ok: true, value: 2.5 });
    expect(check('number', '42', { min: 1, max: 100 })).toEqual({ ok: true, value: 42 });
    expect(check('number', '0', { min: 1 })).toEqual({ ok: false });
    expect(check('number', '101', { max: 100 })).toEqual({ ok: false });
    expect(check('number', '2,5', { integer: true })).toEqual({ ok: false });
    expect(check('number', 'hai')).toEqual({ ok: false });
    expect(check('number', '1e9')).toEqual({ ok: false });
  });

  it('yes_no: Vietnamese with or without accents', () => {
    for (const yes of ['có', 'Co', 'vâng', 'ừ', 'Đồng ý', 'dạ', 'ok']) expect(check('yes_no', yes), yes).toEqual({ ok: true, value: true });
    for (const no of ['không', 'khong', 'ko', 'Không ạ', 'chưa', 'thôi']) expect(check('yes_no', no), no).toEqual({ ok: true, value: false });
    expect(check('yes_no', 'có lẽ vậy')).toEqual({ ok: false });
  });

  it('phone: 10 digits from 0 or +84, separators allowed, saved as 0xxxxxxxxx', () => {
    expect(check('phone', '0912 345 678')).toEqual({ ok: true, value: '0912345678' });
    expect(check('phone', '+84 912.345.678')).toEqual({ ok: true, value: '0912345678' });
    expect(check('phone', '088-8801-247')).toEqual({ ok: true, value: '0888801247' });
    expect(check('phone', '091234567')).toEqual({ ok: false });
    expect(check('phone', '09123456789')).toEqual({ ok: false });
    expect(check('phone', '0012345678')).toEqual({ ok: false });
  });

  it('cccd: 12 digits with a real province prefix', () => {
    expect(check('cccd', '079 203 012 345')).toEqual({ ok: true, value: '079203012345' });
    expect(check('cccd', '12345678901')).toEqual({ ok: false });
    expect(check('cccd', '999203012345')).toEqual({ ok: false });
    expect(check('cccd', '000203012345')).toEqual({ ok: false });
  });

  it('date: real dd/mm/yyyy dates only', () => {
    expect(check('date', '05/09/2026')).toEqual({ ok: true, value: '2026-09-05' });
    expect(check('date', '5-9-2026')).toEqual({ ok: true, value: '2026-09-05' });
    expect(check('date', '29/02/2024')).toEqual({ ok: true, value: '2024-02-29' });
    expect(check('date', '29/02/2026')).toEqual({ ok: false });
    expect(check('date', '31/04/2026')).toEqual({ ok: false });
    expect(check('date', '2026-09-05')).toEqual({ ok: false });
    expect(check('date', '01/01/1850')).toEqual({ ok: false });
  });

  it('choice: one of the options by words (accents folded) or number', () => {
    const options = { options: ['Nam', 'Nữ'] };
    expect(check('choice', 'nu', options)).toEqual({ ok: true, value: 'Nữ' });
    expect(check('choice', '1', options)).toEqual({ ok: true, value: 'Nam' });
    expect(check('choice', '3', options)).toEqual({ ok: false });
    expect(check('choice', 'khác', options)).toEqual({ ok: false });
  });
});
