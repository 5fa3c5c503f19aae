/**
 * @module The impact dashboard page (`/staff/reports`): one HTML document, its script and style
 * under the CSP nonce, Chart.js from our own origin. It reads `/staff/api/impact` and draws the
 * figures; readable on a laptop projector (large type, high contrast), and its print view fits
 * the ward's monthly report on A4 (controls hidden, charts and tables on one or two pages).
 * Every figure comes with what it means and what it cannot know (README, "Impact dashboard").
 */
import { escapeHtml } from './html.js';

export interface ReportsPageOptions {
  nonce: string;
  unitName: string;
  today: string;
  channelLabels: Record<string, string>;
  demo: boolean;
  manager: string;
}

export function renderReportsPage(o: ReportsPageOptions): string {
  const channelOptions = Object.entries(o.channelLabels)
    .map(([name, label]) => `<option value="${escapeHtml(name)}">${escapeHtml(label)}</option>`)
    .join('');
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Báo cáo hiệu quả — ${escapeHtml(o.unitName)}</title>
<style nonce="${o.nonce}">
  :root { --ink: #111; --muted: #444; --line: #bbb; --accent: #0b5394; --ok: #1b7a3d; }
  * { box-sizing: border-box; }
  body { font: 18px/1.45 system-ui, "Segoe UI", Roboto, sans-serif; color: var(--ink); margin: 0; background: #fff; }
  header, main { max-width: 1200px; margin: 0 auto; padding: 12px 20px; }
  h1 { font-size: 28px; margin: 8px 0 4px; }
  h2 { font-size: 22px; margin: 24px 0 8px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
  .sub { color: var(--muted); margin: 0 0 8px; }
  form { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; margin: 8px 0 4px; }
  label { display: flex; flex-direction: column; font-size: 15px; color: var(--muted); }
  input, select, button, a.button { font: inherit; padding: 6px 10px; border: 1px solid #777; border-radius: 6px; background: #fff; color: var(--ink); }
  button, a.button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; text-decoration: none; }
  .tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(180px, 1fr)); gap: 12px; }
  .tile { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
  .tile b { display: block; font-size: 34px; line-height: 1.1; }
  .tile small { color: var(--muted); font-size: 14px; }
  .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 16px; }
  .chart { position: relative; height: 300px; }
  table { border-collapse: collapse; width: 100%; font-size: 16px; }
  th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
  td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
  .cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 16px; }
  .note { color: var(--muted); font-size: 15px; }
  .demo { background: #fff3cd; border: 1px solid #e0b000; padding: 6px 10px; border-radius: 6px; }
  #status { min-height: 1.4em; color: var(--muted); }
  dl.meaning dt { font-weight: 600; margin-top: 6px; }
  dl.meaning dd { margin: 0 0 4px 0; color: var(--muted); font-size: 15px; }
  @page { size: A4; margin: 12mm; }
  @media print {
    body { font-size: 11pt; }
    header, main { max-width: none; padding: 0; }
    form, .noprint { display: none !important; }
    h1 { font-size: 16pt; } h2 { font-size: 13pt; margin: 10px 0 4px; }
    .tile b { font-size: 18pt; }
    .tiles { grid-template-columns: repeat(3, 1fr); gap: 6px; }
    .charts { grid-template-columns: 1fr 1fr; gap: 8px; }
    .chart { height: 200px; }
    .cols { grid-template-columns: 1fr 1fr; gap: 8px; }
    table { font-size: 9pt; }
    section { break-inside: avoid; }
    #daily-section { display: none; }
  }
</style>
</head>
<body>
<header>
  <h1>Báo cáo hiệu quả trợ lý dịch vụ công</h1>
  <p class="sub">${escapeHtml(o.unitName)} · <span id="range"></span> · người xem: ${escapeHtml(o.manager)}</p>
  ${o.demo ? '<p class="demo">Bản chạy thử (npm run demo): hội thoại chạy thử không được tính, nên các số dưới đây bằng 0.</p>' : ''}
  <form id="query">
    <label>Từ ngày <input type="date" name="from" id="from"></label>
    <label>Đến ngày <input type="date" name="to" id="to" value="${escapeHtml(o.today)}"></label>
    <label>Gộp theo <select name="granularity" id="granularity"><option value="day">ngày</option><option value="week">tuần</option><option value="month">tháng</option></select></label>
    <label>Kênh <select name="channel" id="channel"><option value="all">Tất cả các kênh</option>${channelOptions}</select></label>
    <button type="submit">Xem</button>
    <a class="button" id="csv" href="/staff/api/impact.csv">Tải bảng theo ngày (CSV)</a>
    <button type="button" id="print">In (A4)</button>
    <a class="button noprint" href="/staff">Bàn làm việc</a>
    <a class="button noprint" href="/staff/kit">Bộ công cụ tổ CNS</a>
  </form>
  <p id="status" role="status"></p>
</header>
<main>
  <section>
    <div class="tiles">
      <div class="tile"><small>Cuộc trò chuyện</small><b id="t-conversations">–</b><small>lần bắt đầu trò chuyện</small></div>
      <div class="tile"><small>Người dân</small><b id="t-citizens">–</b><small>ước tính, mỗi người tính một lần</small></div>
      <div class="tile"><small>Mở hướng dẫn nộp trực tuyến</small><b id="t-guides">–</b><small>lần</small></div>
      <div class="tile"><small>“Đã nộp xong”</small><b id="t-filed">–</b><small>người dân tự báo, không phải số của cổng</small></div>
      <div class="tile"><small>Câu hỏi chưa tìm thấy</small><b id="t-notfound">–</b><small>việc cần bổ sung vào danh mục</small></div>
      <div class="tile"><small>Chờ cán bộ (trung vị / 90%)</small><b id="t-wait">–</b><small id="t-wait-n"></small></div>
    </div>
  </section>
  <section>
    <h2>Theo thời gian và theo kênh</h2>
    <div class="charts">
      <div class="chart"><canvas id="c-periods" aria-label="Cuộc trò chuyện theo thời gian"></canvas></div>
      <div class="chart"><canvas id="c-funnel" aria-label="Các bước đến nộp trực tuyến"></canvas></div>
      <div class="chart"><canvas id="c-channels" aria-label="Theo kênh"></canvas></div>
    </div>
  </section>
  <section>
    <h2>Các bước đến nộp trực tuyến</h2>
    <table id="funnel"><thead><tr><th>Bước</th><th class="n">Số lần</th><th class="n">So với xem thẻ</th></tr></thead><tbody></tbody></table>
    <p class="note">“Đã nộp xong” là lời tự báo của người dân (nút bấm cuối hướng dẫn nộp trực tuyến): gần nhất với số hồ sơ nộp trực tuyến của phường, nhưng không phải số do cổng dịch vụ công ghi nhận.</p>
  </section>
  <div class="cols">
    <section><h2>Thủ tục được xem nhiều nhất</h2>
      <table id="procedures"><thead><tr><th>Thủ tục</th><th class="n">Xem thẻ</th><th class="n">Hướng dẫn</th><th class="n">Mở liên kết</th><th class="n">Đã nộp xong</th></tr></thead><tbody></tbody></table></section>
    <section><h2>Câu hỏi chưa tìm thấy thủ tục</h2>
      <table id="notfound"><thead><tr><th>Câu hỏi (đã che số, bỏ dấu)</th><th class="n">Số lần</th></tr></thead><tbody></tbody></table>
      <p class="note">Danh sách việc cần làm của danh mục thủ tục. Mọi chữ số đã được thay bằng #.</p></section>
  </div>
  <div class="cols">
    <section><h2>Gặp cán bộ</h2>
      <table id="person"><tbody></tbody></table></section>
    <section><h2>Phản ánh, góp ý</h2>
      <table id="reports"><tbody></tbody></table>
      <h2>Nguồn (áp phích, buổi họp)</h2>
      <table id="sources"><thead><tr><th>Nguồn</th><th class="n">Cuộc trò chuyện</th></tr></thead><tbody></tbody></table></section>
  </div>
  <section>
    <h2>Theo kênh</h2>
    <table id="channels"><thead><tr><th>Kênh</th><th class="n">Cuộc trò chuyện</th><th class="n">Người dân</th><th class="n">Đã nộp xong</th></tr></thead><tbody></tbody></table>
  </section>
  <section id="daily-section">
    <h2>Theo kỳ</h2>
    <table id="periods"><thead><tr><th>Kỳ</th><th class="n">Cuộc trò chuyện</th><th class="n">Người dân</th><th class="n">Hướng dẫn</th><th class="n">Đã nộp xong</th><th class="n">Chưa tìm thấy</th><th class="n">Gặp cán bộ</th></tr></thead><tbody></tbody></table>
  </section>
  <section>
    <h2>Ý nghĩa các con số</h2>
    <dl class="meaning">
      <dt>Cuộc trò chuyện</dt><dd>Mỗi lần một người bắt đầu (lần đầu nhắn, bấm Bắt đầu, quét mã QR, hoặc “bắt đầu lại”). Không tính hội thoại chạy thử.</dd>
      <dt>Người dân</dt><dd>Số người khác nhau, đếm bằng mã băm có khóa (HyperLogLog), không lưu ai là ai. Một người dùng hai kênh được tính hai lần; theo tuần, tháng là ước tính (sai số khoảng 1%).</dd>
      <dt>Các bước</dt><dd>Tìm thấy thủ tục → xem thẻ → kiểm tra giấy tờ → mở hướng dẫn nộp trực tuyến → mở liên kết đến cổng → “Đã nộp xong”. “Mở liên kết” chưa đếm được (luôn bằng 0): liên kết mở thẳng cổng dịch vụ công nên trợ lý không thấy lượt bấm. Trợ lý không biết hồ sơ có thật sự được cổng tiếp nhận hay không.</dd>
      <dt>Câu hỏi chưa tìm thấy</dt><dd>Câu người dân viết mà danh mục không có thủ tục phù hợp, đã che số và bỏ dấu, gộp các câu giống nhau.</dd>
      <dt>Chờ cán bộ</dt><dd>Từ lúc người dân yêu cầu đến lúc cán bộ nhận trò chuyện, trung vị và mức 90% (chín phần mười người chờ không lâu hơn). Ngoài giờ làm việc thời gian chờ dài hơn.</dd>
      <dt>Đánh giá</dt><dd>Điểm 1–5 người dân chọn sau khi cán bộ kết thúc; chỉ người chọn mới được tính.</dd>
    </dl>
  </section>
</main>
<script nonce="${o.nonce}" src="/staff/assets/chart.umd.min.js"></script>
<script nonce="${o.nonce}">
(function () {
  'use strict';
  var STEP_LABELS = { procedure_found: 'Tìm thấy thủ tục', card_viewed: 'Xem thẻ thủ tục', checklist_finished: 'Kiểm tra giấy tờ xong', online_guide_opened: 'Mở hướng dẫn nộp trực tuyến', online_link_opened: 'Mở liên kết đến cổng', filed_confirmed: '“Đã nộp xong” (tự báo)' };
  var charts = {};
  var $ = function (id) { return document.getElementById(id); };
  var fmt = function (n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('vi-VN'); };
  function minutes(ms) {
    if (ms === null || ms === undefined) return '–';
    if (ms < 60000) return Math.round(ms / 1000) + ' giây';
    return (Math.round(ms / 6000) / 10).toLocaleString('vi-VN') + ' phút';
  }
  function rows(tbody, list, cells) {
    var body = typeof tbody === 'string' ? $(tbody).querySelector('tbody') : tbody;
    body.textContent = '';
    if (list.length === 0) {
      var tr = document.createElement('tr'); var td = document.createElement('td');
      td.colSpan = 8; td.className = 'note'; td.textContent = 'Chưa có số liệu trong khoảng thời gian này.';
      tr.appendChild(td); body.appendChild(tr); return;
    }
    list.forEach(function (item) {
      var tr = document.createElement('tr');
      cells(item).forEach(function (c, i) {
        var td = document.createElement(i === 0 && c && c.th ? 'th' : 'td');
        var v = c && typeof c === 'object' ? c.v : c;
        td.textContent = typeof v === 'number' ? fmt(v) : String(v);
        if (typeof v === 'number' || (c && c.n)) td.className = 'n';
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }
  function chart(id, config) {
    if (charts[id]) charts[id].destroy();
    if (!window.Chart) return;
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { labels: { font: { size: 14 } } } } }, config.options || {});
    charts[id] = new window.Chart($(id), config);
  }
  function query() {
    var p = new URLSearchParams();
    ['from', 'to', 'granularity', 'channel'].forEach(function (k) { var v = $(k).value; if (v) p.set(k, v); });
    return p.toString();
  }
  function load() {
    var q = query();
    $('csv').href = '/staff/api/impact.csv?' + q;
    $('status').textContent = 'Đang tải…';
    fetch('/staff/api/impact?' + q, { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) return r.json().catch(function () { return {}; }).then(function (b) { throw new Error(b.message || ('HTTP ' + r.status)); });
      return r.json();
    }).then(function (d) { show(d); $('status').textContent = ''; }).catch(function (e) { $('status').textContent = 'Không tải được số liệu: ' + e.message; });
  }
  function show(d) {
    $('from').value = d.from; $('to').value = d.to;
    $('range').textContent = 'từ ' + d.from + ' đến ' + d.to + (d.channels === 'all' ? ', tất cả các kênh' : ', kênh ' + d.channels.map(function (c) { return d.channelLabels[c] || c; }).join(', '));
    var f = {}; d.funnel.forEach(function (s) { f[s.step] = s.count; });
    $('t-conversations').textContent = fmt(d.totals.conversations);
    $('t-citizens').textContent = fmt(d.totals.citizens);
    $('t-guides').textContent = fmt(f.online_guide_opened);
    $('t-filed').textContent = fmt(f.filed_confirmed);
    $('t-notfound').textContent = fmt(d.totals.notFound);
    $('t-wait').textContent = minutes(d.person.waitMedianMs) + ' / ' + minutes(d.person.waitP90Ms);
    $('t-wait-n').textContent = fmt(d.person.answered) + ' lần cán bộ nhận';
    // Deep links open the card without the finder: the card is where every path starts.
    var cards = f.card_viewed || 0;
    rows('funnel', d.funnel, function (s) { return [STEP_LABELS[s.step] || s.step, s.count, { v: cards > 0 && s.step !== 'procedure_found' ? Math.round((s.count / cards) * 100) + '%' : '–', n: true }]; });
    rows('procedures', d.topProcedures, function (p) { return [d.procedureNames[p.id] || p.id, p.cards, p.guides, p.links, p.filed]; });
    rows('notfound', d.notFound, function (q) { return [q.query, q.count]; });
    rows('sources', d.sources, function (s) { return [s.source, s.conversations]; });
    rows('channels', d.byChannel, function (c) { return [d.channelLabels[c.channel] || c.channel, c.conversations, c.citizens, c.filedConfirmed]; });
    rows('periods', d.periods, function (p) { return [p.period, p.conversations, p.citizens, p.funnel.online_guide_opened, p.funnel.filed_confirmed, p.notFound, p.personAsked]; });
    var r = d.person.ratings;
    rows('person', [
      ['Yêu cầu gặp cán bộ', d.person.asked], ['Cán bộ đã nhận', d.person.answered], ['Thời gian chờ trung vị', { v: minutes(d.person.waitMedianMs), n: true }],
      ['Thời gian chờ (90% người dân chờ không quá)', { v: minutes(d.person.waitP90Ms), n: true }], ['Cán bộ kết thúc', d.person.closed],
      ['Đánh giá trung bình', { v: d.person.ratingAverage === null ? '–' : String(d.person.ratingAverage).replace('.', ',') + ' / 5', n: true }],
      ['Số đánh giá 5 · 4 · 3 · 2 · 1', { v: [r['5'], r['4'], r['3'], r['2'], r['1']].join(' · '), n: true }]
    ], function (x) { return x; });
    rows('reports', [['Phản ánh đã gửi', d.reports.filed], ['Phản ánh đã giải quyết', d.reports.resolved]], function (x) { return x; });
    chart('c-periods', { type: 'bar', data: { labels: d.periods.map(function (p) { return p.period; }), datasets: [
      { label: 'Cuộc trò chuyện', data: d.periods.map(function (p) { return p.conversations; }), backgroundColor: '#0b5394' },
      { label: '“Đã nộp xong”', data: d.periods.map(function (p) { return p.funnel.filed_confirmed; }), backgroundColor: '#1b7a3d' }] },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
    chart('c-funnel', { type: 'bar', data: { labels: d.funnel.map(function (s) { return STEP_LABELS[s.step] || s.step; }), datasets: [{ label: 'Số lần', data: d.funnel.map(function (s) { return s.count; }), backgroundColor: '#0b5394' }] },
      options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } } });
    chart('c-channels', { type: 'bar', data: { labels: d.byChannel.map(function (c) { return d.channelLabels[c.channel] || c.channel; }), datasets: [
      { label: 'Cuộc trò chuyện', data: d.byChannel.map(function (c) { return c.conversations; }), backgroundColor: '#0b5394' },
      { label: 'Người dân', data: d.byChannel.map(function (c) { return c.citizens; }), backgroundColor: '#7aa6d6' }] },
      options: { scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } } });
    document.body.setAttribute('data-loaded', 'true');
  }
  $('query').addEventListener('submit', function (e) { e.preventDefault(); load(); });
  $('print').addEventListener('click', function () { window.print(); });
  load();
})();
</script>
</body>
</html>
`;
}
