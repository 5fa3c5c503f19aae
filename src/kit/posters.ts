/**
 * @module The community kit's printables, as HTML sized for A4 (one page each): a procedure
 * poster (the ward, the procedure, three steps, a large QR code, the hotline, the channel), a
 * sheet of small QR cards for the one-stop desk, and the "Nộp lệ phí không dùng tiền mặt"
 * poster. The CLI prints them to PDF through headless Chromium (render-pdf.ts); /staff/kit shows
 * them in the browser.
 *
 * No poster ever carries a bank account or a payment QR code: fees are paid on the portal's
 * payment platform, and a QR code to a bank account is exactly what scammers send. The only QR
 * codes here open the assistant.
 */
import QRCode from 'qrcode';
import type { CatalogEntry, Unit } from '../catalog/types.js';
import { escapeHtml } from '../analytics/html.js';
import type { KitLink } from './kit-links.js';

export interface PosterInput {
  unit: Unit;
  entry: Pick<CatalogEntry, 'id' | 'name' | 'summary'>;
  channelLabel: string;
  channel: string;
  link: KitLink;
  source?: string;
}

/** A QR code as inline SVG (dark on white, quiet zone included). */
export async function qrSvg(text: string, options: { margin?: number } = {}): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: options.margin ?? 2, color: { dark: '#000000', light: '#ffffff' } });
}

const A4_STYLE = `
  @page { size: A4; margin: 0; }
  * { box-sizing: border-box; }
  html, body { margin: 0; padding: 0; }
  body { font-family: "DejaVu Sans", "Noto Sans", system-ui, sans-serif; color: #111; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .sheet { width: 210mm; height: 296mm; overflow: hidden; padding: 14mm 16mm; display: flex; flex-direction: column; }
`;

function page(title: string, style: string, body: string, nonce?: string): string {
  const n = nonce ? ` nonce="${nonce}"` : '';
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escapeHtml(title)}</title><style${n}>${A4_STYLE}${style}</style></head><body>${body}</body></html>`;
}

function steps(input: PosterInput): string[] {
  const name = input.entry.name;
  if (input.link.typeText) {
    return [
      input.link.url ? `Mở camera điện thoại, quét mã QR để mở ${input.channelLabel}.` : `Mở ${input.channelLabel}, tìm “${input.unit.short_name}”.`,
      `Nhắn: “${input.link.typeText}”.`,
      'Trợ lý chỉ giấy tờ cần chuẩn bị, lệ phí và dẫn anh/chị nộp trực tuyến.',
    ];
  }
  return [
    'Mở camera điện thoại, quét mã QR bên dưới.',
    input.channel === 'telegram' ? `Telegram mở ra: bấm “Bắt đầu” (Start), thủ tục ${name} hiện ngay.` : `Trang trò chuyện mở ra với thủ tục ${name}.`,
    'Trợ lý chỉ giấy tờ cần chuẩn bị, lệ phí và dẫn anh/chị nộp trực tuyến.',
  ];
}

/** The poster of one procedure on one channel. */
export async function posterHtml(input: PosterInput, options: { nonce?: string } = {}): Promise<string> {
  const qr = input.link.url ? await qrSvg(input.link.url) : '';
  const hotline = input.unit.hotlines.citizen;
  const style = `
    .ward { text-align: center; font-size: 15pt; font-weight: 700; text-transform: uppercase; letter-spacing: .02em; }
    .ward small { display: block; font-size: 10pt; font-weight: 400; text-transform: none; color: #333; }
    h1 { text-align: center; font-size: 34pt; line-height: 1.1; margin: 8mm 0 3mm; color: #0b3d91; }
    .lead { text-align: center; font-size: 14pt; margin: 0 0 6mm; }
    ol { font-size: 15pt; line-height: 1.35; margin: 0 0 4mm 8mm; padding-left: 6mm; }
    ol li { margin-bottom: 2.5mm; }
    .qr { display: flex; justify-content: center; margin: 2mm 0; }
    .qr svg { width: 105mm; height: 105mm; }
    .type { text-align: center; font-size: 26pt; font-weight: 700; border: 1mm solid #0b3d91; border-radius: 4mm; padding: 6mm; margin: 6mm 10mm; }
    .url { text-align: center; font-size: 10pt; color: #333; word-break: break-all; }
    .foot { margin-top: auto; border-top: .6mm solid #0b3d91; padding-top: 3mm; font-size: 12pt; display: flex; justify-content: space-between; gap: 6mm; }
    .foot b { font-size: 15pt; }
    .safe { font-size: 10.5pt; color: #333; margin-top: 2mm; }
    .tag { font-size: 8pt; color: #666; text-align: right; }
  `;
  const body = `<div class="sheet">
  <div class="ward">${escapeHtml(input.unit.short_name)}<small>${escapeHtml(input.unit.name)}</small></div>
  <h1>${escapeHtml(input.entry.name)}</h1>
  <p class="lead">Hỏi trợ lý dịch vụ công trên <b>${escapeHtml(input.channelLabel)}</b>: giấy tờ cần chuẩn bị, lệ phí, cách nộp hồ sơ trực tuyến.</p>
  <ol>${steps(input).map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>
  ${qr ? `<div class="qr" role="img" aria-label="Mã QR">${qr}</div><p class="url">${escapeHtml(input.link.url ?? '')}</p>` : ''}
  ${input.link.typeText ? `<div class="type">Nhắn: “${escapeHtml(input.link.typeText)}”</div>` : ''}
  <div class="foot"><div>Đường dây nóng<br><b>${escapeHtml(hotline)}</b></div><div>Kênh: <b>${escapeHtml(input.channelLabel)}</b></div></div>
  <p class="safe">Trợ lý không bao giờ hỏi mật khẩu hay mã OTP. Lệ phí chỉ nộp trên cổng dịch vụ công, không chuyển khoản theo mã QR hay số tài khoản do người khác gửi.</p>
  ${input.source ? `<p class="tag">Nguồn: ${escapeHtml(input.source)}</p>` : ''}
</div>`;
  return page(`${input.entry.name} — áp phích`, style, body, options.nonce);
}

export interface CardInput {
  entry: Pick<CatalogEntry, 'id' | 'name'>;
  url: string;
}

/** A sheet of small QR cards (3 × 4 on A4) for the one-stop desk, one per procedure. */
export async function qrCardsHtml(unit: Unit, channelLabel: string, cards: CardInput[], options: { nonce?: string } = {}): Promise<string> {
  const svgs = await Promise.all(cards.slice(0, 12).map((c) => qrSvg(c.url, { margin: 1 })));
  const style = `
    .sheet { padding: 8mm; }
    h1 { font-size: 13pt; margin: 0 0 3mm; text-align: center; }
    .grid { display: grid; grid-template-columns: repeat(3, 1fr); grid-template-rows: repeat(4, 1fr); gap: 3mm; flex: 1; }
    .card { border: .3mm dashed #777; padding: 3mm; display: flex; flex-direction: column; align-items: center; text-align: center; }
    .card b { font-size: 11.5pt; line-height: 1.2; min-height: 2.4em; }
    .card svg { width: 42mm; height: 42mm; }
    .card small { font-size: 8pt; color: #333; }
  `;
  const body = `<div class="sheet"><h1>${escapeHtml(unit.short_name)} — quét mã để hỏi trợ lý dịch vụ công (${escapeHtml(channelLabel)}) · Đường dây nóng ${escapeHtml(unit.hotlines.citizen)}</h1>
  <div class="grid">${cards
    .slice(0, 12)
    .map((c, i) => `<div class="card"><b>${escapeHtml(c.entry.name)}</b>${svgs[i]}<small>Giấy tờ, lệ phí, nộp trực tuyến</small></div>`)
    .join('')}</div></div>`;
  return page(`${unit.short_name} — thẻ QR`, style, body, options.nonce);
}

export interface CashlessInput {
  unit: Unit;
  /** The catalog's guide on paying online (content/procedures/thanh-toan-truc-tuyen.yaml). */
  guide: Pick<CatalogEntry, 'name' | 'online' | 'unverified' | 'reviewed_on' | 'source'>;
  /** A QR code to the assistant's guide (never to a bank account); none when not given. */
  guideUrl?: string;
}

/** "Nộp lệ phí không dùng tiền mặt": how to pay on the portal, from the catalog's guide. */
export async function cashlessPosterHtml(input: CashlessInput, options: { nonce?: string } = {}): Promise<string> {
  const qr = input.guideUrl ? await qrSvg(input.guideUrl) : '';
  const style = `
    .ward { text-align: center; font-size: 14pt; font-weight: 700; text-transform: uppercase; }
    h1 { text-align: center; font-size: 30pt; color: #0b3d91; margin: 6mm 0 2mm; }
    .lead { text-align: center; font-size: 13pt; margin: 0 0 5mm; }
    ol { font-size: 14pt; line-height: 1.35; padding-left: 10mm; }
    ol li { margin-bottom: 2mm; }
    .warn { border: 1mm solid #b00020; border-radius: 3mm; padding: 4mm 5mm; font-size: 13.5pt; margin: 4mm 0; }
    .warn b { color: #b00020; }
    .qr { display: flex; align-items: center; gap: 6mm; margin: 3mm 0; font-size: 12pt; }
    .qr svg { width: 55mm; height: 55mm; flex: none; }
    .note { font-size: 9.5pt; color: #333; }
    .foot { margin-top: auto; border-top: .6mm solid #0b3d91; padding-top: 3mm; font-size: 12pt; }
  `;
  const steps = input.guide.online.steps ?? [];
  const body = `<div class="sheet">
  <div class="ward">${escapeHtml(input.unit.short_name)}</div>
  <h1>Nộp lệ phí không dùng tiền mặt</h1>
  <p class="lead">Hồ sơ nộp trực tuyến: phí, lệ phí trả ngay trên ${escapeHtml(input.guide.online.portal ?? 'Cổng Dịch vụ công quốc gia')}, bằng tài khoản ngân hàng, thẻ hoặc ví điện tử có kết nối với nền tảng thanh toán của cổng.</p>
  <ol>${steps.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>
  <div class="warn"><b>Cảnh giác lừa đảo:</b> chỉ thanh toán trong hồ sơ của anh/chị trên cổng dịch vụ công. Cán bộ phường và trợ lý không bao giờ gửi số tài khoản hay mã QR để chuyển tiền lệ phí, không hỏi mật khẩu hay mã OTP.</div>
  ${qr ? `<div class="qr">${qr}<div>Quét mã để xem hướng dẫn từng bước với trợ lý dịch vụ công.<br><b>Mã này mở hướng dẫn, không dùng để trả tiền.</b></div></div>` : ''}
  ${(input.guide.unverified ?? []).length > 0 ? `<p class="note">Chưa kiểm chứng: ${(input.guide.unverified ?? []).map(escapeHtml).join(' ')}</p>` : ''}
  <p class="note">Nguồn: ${escapeHtml(input.guide.source)} · kiểm tra ngày ${escapeHtml(input.guide.reviewed_on)}</p>
  <div class="foot">Đường dây nóng: <b>${escapeHtml(input.unit.hotlines.citizen)}</b> · ${escapeHtml(input.unit.desk)}</div>
</div>`;
  return page('Nộp lệ phí không dùng tiền mặt', style, body, options.nonce);
}
