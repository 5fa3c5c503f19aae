/** @module Yes or no in Vietnamese, with or without accents ("có", "co", "ừ", "không", "ko"...). */
import { z } from 'zod';
import { fold } from '../fold.js';
import { defineInputTest } from './define-input-test.js';

const YES = new Set(['co', 'c', 'vang', 'da', 'da co', 'u', 'uh', 'um', 'ok', 'oke', 'okay', 'dong y', 'duoc', 'dung', 'dung roi', 'phai', 'yes', 'y', 'co a', 'vang a', 'da vang', 'roi', 'co roi']);
const NO = new Set(['khong', 'k', 'ko', 'kg', 'khg', 'hong', 'hok', 'khong a', 'thoi', 'khong can', 'chua', 'no', 'n', 'sai', 'khong phai', 'khong dong y']);

export const yesNoTest = defineInputTest({
  type: 'yes_no',
  options: z.object({}).strict(),
  check(text) {
    const folded = fold(text);
    if (YES.has(folded)) return { ok: true, value: true };
    if (NO.has(folded)) return { ok: true, value: false };
    return { ok: false };
  },
});
