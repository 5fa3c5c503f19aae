/**
 * Former ward names: generated over every `former_names` entry of the real unit file, in the ways
 * citizens write them (accents or not, "p9", "F.9", "UBND … cũ"), and the look-alikes that are
 * not ours (another district's Phường 9, a street named Nguyễn An Ninh, Phường 10).
 */
import { describe, expect, it } from 'vitest';
import { createFormerNameMatcher } from '../../src/catalog/former-names.js';
import { foldText } from '../../src/catalog/normalise-vietnamese.js';
import { realAssistant } from '../helpers/assistant.js';

const unit = realAssistant().catalog.unit;
const matcher = createFormerNameMatcher(unit.former_names ?? []);

/** How a citizen may write "Phường 9" or "Phường Nguyễn An Ninh". */
function spellings(head: string): string[] {
  const designator = head.replace(/^Phường\s+/, '');
  const numbered = /^\d+$/.test(designator);
  return [
    head,
    head.toLowerCase(),
    foldText(head),
    `UBND ${head.toLowerCase()} cũ`,
    `${head.toLowerCase()} vũng tàu`,
    `P. ${designator}`,
    ...(numbered ? [`p${designator} vũng tàu`, `F${designator}`, `phuong${designator}`] : [`UBND ${designator}`, `p ${foldText(designator)}`]),
  ];
}

describe('former ward names', () => {
  const names = unit.former_names ?? [];

  it('lists the four wards Phường Tam Thắng absorbed', () => {
    expect(names).toEqual(['Phường 7, thành phố Vũng Tàu', 'Phường 8, thành phố Vũng Tàu', 'Phường 9, thành phố Vũng Tàu', 'Phường Nguyễn An Ninh, thành phố Vũng Tàu']);
  });

  for (const full of names) {
    const head = full.split(',')[0]!;
    it.each(spellings(head))(`"%s" is ${head}`, (text) => {
      expect(matcher.match(text)).toEqual({ name: head, of: 'thành phố Vũng Tàu', rest: '' });
    });
  }

  it('keeps the rest of the message, with its accents, for the finder', () => {
    expect(matcher.match('Tôi ở phường 9 cũ, muốn làm giấy khai sinh cho con')?.rest).toBe('Tôi ở muốn làm giấy khai sinh cho con');
    expect(matcher.match('UBND phường 8 cũ ở đâu')?.rest).toBe('ở đâu');
  });

  it.each(['phường 10', 'phường 9 quận 3', 'p9 q.Tân Bình', 'số 9 Nguyễn An Ninh', 'đường nguyễn an ninh', 'làm giấy khai sinh', 'phường 90', 'Phường Vũng Tàu'])('"%s" names none of them', (text) => {
    expect(matcher.match(text)).toBeUndefined();
  });
});
