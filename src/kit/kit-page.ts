/**
 * @module The community kit page (`/staff/kit`): make a poster for any procedure and channel with a
 * source tag and see it at once; print the QR cards and the cashless-fee poster; read the five
 * demo walkthroughs and open each in the web chat (on `npm run demo`, everything runs on the laptop).
 */
import { escapeHtml } from '../analytics/html.js';
import { WALKTHROUGHS } from './walkthroughs.js';

export interface KitPageOptions {
  nonce: string;
  unitName: string;
  entries: Array<{ id: string; name: string }>;
  channels: Array<{ name: string; label: string }>;
  /** The web chat's address (walkthrough links). */
  webBase: string;
}

export function renderKitPage(o: KitPageOptions): string {
  const entries = o.entries.map((e) => `<option value="${escapeHtml(e.id)}"${e.id === 'khai-sinh' ? ' selected' : ''}>${escapeHtml(e.name)}</option>`).join('');
  const channels = o.channels.map((c) => `<option value="${escapeHtml(c.name)}">${escapeHtml(c.label)}</option>`).join('');
  const base = o.webBase.replace(/\/+$/, '');
  const walkthroughs = WALKTHROUGHS.map((w, i) => {
    const first = w.turns[0];
    const open = first?.kind === 'start' ? `${base}/?start=${encodeURIComponent(first.type)}` : `${base}/`;
    const turns = w.turns
      .map((t) => `<li>${t.kind === 'start' ? `Quét mã QR (mở <code>/?start=${escapeHtml(t.type)}</code>)` : `Gõ: <kbd>${escapeHtml(t.type)}</kbd>`} → khán giả thấy: ${t.sees.map((s) => `“${escapeHtml(s)}”`).join(', ')}</li>`)
      .join('');
    return `<article class="walk" id="walk-${escapeHtml(w.id)}"><h3>${i + 1}. ${escapeHtml(w.title)}</h3><p>${escapeHtml(w.point)}</p><ol>${turns}</ol><p><a class="button" target="_blank" rel="noopener" href="${escapeHtml(open)}">Mở trong trò chuyện</a></p></article>`;
  }).join('');
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Bộ công cụ tổ công nghệ số cộng đồng — ${escapeHtml(o.unitName)}</title>
<style nonce="${o.nonce}">
  * { box-sizing: border-box; }
  body { font: 17px/1.45 system-ui, "Segoe UI", Roboto, sans-serif; color: #111; margin: 0; }
  header, main { max-width: 1200px; margin: 0 auto; padding: 10px 20px; }
  h1 { font-size: 26px; margin: 8px 0; } h2 { font-size: 21px; border-bottom: 2px solid #0b5394; padding-bottom: 3px; margin-top: 24px; } h3 { font-size: 18px; margin: 4px 0; }
  form { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; }
  label { display: flex; flex-direction: column; font-size: 14px; color: #444; }
  input, select, a.button, button { font: inherit; padding: 6px 10px; border: 1px solid #777; border-radius: 6px; background: #fff; color: #111; }
  a.button, button { background: #0b5394; color: #fff; border-color: #0b5394; text-decoration: none; cursor: pointer; display: inline-block; }
  .row { display: grid; grid-template-columns: minmax(300px, 1fr) 430px; gap: 20px; align-items: start; }
  iframe { width: 420px; height: 594px; border: 1px solid #999; background: #fff; }
  .hint { color: #444; font-size: 15px; }
  .walks { display: grid; grid-template-columns: repeat(auto-fit, minmax(330px, 1fr)); gap: 14px; }
  .walk { border: 1px solid #bbb; border-radius: 8px; padding: 8px 12px; }
  kbd { background: #eef; border: 1px solid #99b; border-radius: 4px; padding: 0 4px; font-family: inherit; }
  .warn { border-left: 4px solid #b00020; padding: 4px 10px; background: #fff5f5; }
</style>
</head>
<body>
<header>
  <h1>Bộ công cụ tổ công nghệ số cộng đồng</h1>
  <p class="hint">${escapeHtml(o.unitName)} · <a href="/staff">Bàn làm việc</a> · <a href="/staff/reports">Báo cáo</a> (lãnh đạo)</p>
</header>
<main>
  <h2>Áp phích QR cho một thủ tục</h2>
  <div class="row">
    <div>
      <form id="poster">
        <label>Thủ tục <select name="procedure" id="procedure">${entries}</select></label>
        <label>Kênh <select name="channel" id="channel">${channels}</select></label>
        <label>Mã nguồn (tùy chọn) <input name="source" id="source" placeholder="poster-kp3" maxlength="32"></label>
        <label>Tên bot Telegram <input name="bot" id="bot" placeholder="PhuongTamThangBot"></label>
        <label>Liên kết Zalo (tùy chọn) <input name="link" id="link" placeholder="https://…"></label>
        <button type="submit">Xem trước</button>
        <a class="button" id="open" target="_blank" rel="noopener" href="/staff/kit/poster?procedure=khai-sinh&amp;channel=web">Mở để in / lưu PDF</a>
      </form>
      <p class="hint">Mã nguồn (ví dụ <code>poster-kp3</code> cho áp phích ở khu phố 3, <code>hop-to-5</code> cho buổi họp tổ 5) cho biết mỗi áp phích, buổi họp mang lại bao nhiêu cuộc trò chuyện (trang Báo cáo, mục Nguồn). Zalo không có liên kết mở sẵn thủ tục: áp phích Zalo ghi người dân cần nhắn gì, và không đếm được theo nguồn.</p>
      <p class="hint">Dòng lệnh: <code>npm run cli -- poster khai-sinh --source poster-kp3 --channel telegram --bot TenBot --out ap-phich.pdf</code></p>
      <p id="error" class="warn" hidden></p>
    </div>
    <iframe id="preview" title="Xem trước áp phích" src="/staff/kit/poster?procedure=khai-sinh&amp;channel=web"></iframe>
  </div>

  <h2>In thêm</h2>
  <p><a class="button" id="cards" target="_blank" rel="noopener" href="/staff/kit/cards?channel=web">Tờ thẻ QR nhỏ cho bộ phận một cửa (12 thủ tục)</a>
     <a class="button" target="_blank" rel="noopener" href="/staff/kit/cashless">Áp phích “Nộp lệ phí không dùng tiền mặt”</a></p>
  <p class="warn">Không bao giờ in mã QR chuyển khoản hay số tài khoản để nộp lệ phí: lệ phí chỉ nộp trên nền tảng thanh toán của cổng dịch vụ công, và mã QR chuyển khoản là đúng cách kẻ lừa đảo hay dùng.</p>

  <h2 id="walkthroughs">Năm kịch bản trình diễn</h2>
  <p class="hint">Chạy trên <code>npm run demo</code> (máy tính xách tay, không cần mạng ngoài): mở trò chuyện, gõ đúng như kịch bản. Hội thoại chạy thử không được tính vào báo cáo.</p>
  <div class="walks">${walkthroughs}</div>
</main>
<script nonce="${o.nonce}">
(function () {
  'use strict';
  var form = document.getElementById('poster');
  function query() {
    var p = new URLSearchParams();
    ['procedure', 'channel', 'source', 'bot', 'link'].forEach(function (k) { var v = document.getElementById(k).value.trim(); if (v) p.set(k, v); });
    return p.toString();
  }
  function update() {
    var q = query();
    var url = '/staff/kit/poster?' + q;
    var error = document.getElementById('error');
    fetch(url + '&check=1', { credentials: 'same-origin' }).then(function (r) { return r.json(); }).then(function (answer) {
      if (answer.ok) { error.hidden = true; document.getElementById('preview').src = url; document.getElementById('open').href = url; return; }
      error.textContent = answer.message; error.hidden = false;
    });
    var cards = new URLSearchParams(q); cards.delete('procedure');
    document.getElementById('cards').href = '/staff/kit/cards?' + cards.toString();
  }
  form.addEventListener('submit', function (e) { e.preventDefault(); update(); });
  document.getElementById('channel').addEventListener('change', update);
  document.getElementById('procedure').addEventListener('change', update);
})();
</script>
</body>
</html>
`;
}
