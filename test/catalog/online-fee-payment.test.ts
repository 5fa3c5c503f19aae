/**
 * Issue 14, cashless fees, over every catalog entry: the online guide of a procedure with a fee
 * says how the portal takes it (bank account, card or e-wallet on its payment platform, marked
 * unverified) and warns against paying to an account or QR code someone sends; an entry without
 * a fee says nothing of payment; what the note tells the citizen to type opens the payment guide.
 */
import { describe, expect, it } from 'vitest';
import { stripMarkup } from '../../src/channels/plain-text.js';
import { createEngineServices, hasFee } from '../../src/catalog/engine-services.js';
import { assistantOn } from '../helpers/drive.js';

const assistant = assistantOn('content');
const services = createEngineServices(assistant);
const note = stripMarkup(assistant.texts.get('card_parts.online_fee_payment')!);

describe('the online guide and fees', () => {
  it('the note names only the portal’s means of payment and marks them unverified', () => {
    expect(note).toContain('tài khoản ngân hàng, thẻ hoặc ví điện tử');
    expect(note).toContain('chưa được đối chiếu');
    expect(note).toContain('Không chuyển tiền theo số tài khoản hay mã QR');
    expect(assistant.finder.search('thanh toán lệ phí')[0]?.id).toBe('thanh-toan-truc-tuyen');
  });
  for (const entry of assistant.catalog.entries) {
    it(`${entry.id}: ${hasFee(entry) ? 'has a fee: the guide says how to pay online' : 'no fee: the guide says nothing of payment'}`, () => {
      const result = services['procedure.online']({ id: entry.id }, {});
      if (result.outcome !== 'online') return;
      const text = stripMarkup(((result.data as { parts: string[] }).parts ?? []).join('\n'));
      if (hasFee(entry)) expect(text).toContain(note);
      else expect(text).not.toContain(note);
      // No account number is ever given for a fee.
      expect(text).not.toMatch(/số tài khoản:?\s*\d/i);
    });
  }
});
