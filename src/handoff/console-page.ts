/**
 * @module The staff desk page ("Bàn làm việc cán bộ"): one self-contained HTML page (inline CSS
 * and JS under a CSP nonce, Vietnamese UI) that talks to the staff API. Two lists: chat tickets
 * (the queue) and citizens' reports. Everything a citizen or staff member wrote is put in the page
 * with `textContent`, never as HTML, so a message holding markup or a script shows as the text it
 * is. New tickets and reports announce themselves with a banner, a changed title and a beep.
 * Every POST sends JSON with the CSRF token; call-back numbers show masked until "Hiện số".
 * Where the citizen's channel limits replies (Zalo OA), the ticket shows the reply window and the
 * delivery status, and once the platform would refuse a reply the box gives way to the reason.
 * Laid out for a desktop and for a 1024×768 tablet.
 */

export function renderConsolePage(options: { nonce: string; demo?: boolean; channelLabels?: Record<string, string> }): string {
  const { nonce } = options;
  const demoBanner = options.demo
    ? '<div id="demo" role="note" data-testid="demo">Bản chạy thử (demo): dữ liệu chỉ nằm trong bộ nhớ của máy này, mất khi tắt, và không được tính vào số liệu.</div>'
    : '';
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Bàn làm việc cán bộ</title>
<style nonce="${nonce}">
*{box-sizing:border-box}
html,body{height:100%}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2733;background:#f3f5f8;overflow:hidden}
header{display:flex;align-items:center;gap:12px;padding:8px 16px;background:#0b5394;color:#fff;flex:none}
header h1{font-size:17px;margin:0;flex:1;min-width:0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
button{font:inherit;border:1px solid #0b5394;background:#0b5394;color:#fff;border-radius:6px;padding:6px 12px;cursor:pointer;min-height:36px}
button.secondary{background:#fff;color:#0b5394}
button.danger{background:#b42318;border-color:#b42318}
button:disabled{opacity:.5;cursor:default}
input,select,textarea{font:inherit;padding:6px 8px;border:1px solid #a8b3c2;border-radius:6px}
.hidden{display:none!important}
#login{max-width:340px;margin:12vh auto;background:#fff;padding:24px;border-radius:10px;box-shadow:0 2px 10px #0002;display:flex;flex-direction:column;gap:10px}
#login h2{margin:0 0 6px;font-size:19px}
.error{color:#b42318;min-height:1.2em}
#demo{background:#e8f0fb;color:#0b3d6e;border-bottom:1px solid #9bbbe0;padding:6px 16px;font-weight:600;flex:none}
#offline{background:#fdecec;color:#8a1c1c;border-bottom:1px solid #e3a3a3;padding:8px 16px;font-weight:600;flex:none}
#notice{background:#fff4cc;border-bottom:1px solid #e7c35a;padding:8px 16px;font-weight:600;flex:none}
#app{display:flex;flex-direction:column;height:100vh}
main{flex:1;min-height:0;display:grid;grid-template-columns:minmax(220px,min(340px,30%)) minmax(0,1fr)}
#side{display:flex;flex-direction:column;min-height:0;border-right:1px solid #d5dbe3;background:#fff}
#tabs{display:flex;flex:none;border-bottom:1px solid #d5dbe3}
#tabs button{flex:1;border:0;border-radius:0;background:#fff;color:#1d2733;border-bottom:3px solid transparent;white-space:nowrap;font-size:14px;padding:6px 8px}
#tabs button[aria-selected=true]{border-bottom-color:#0b5394;font-weight:600;color:#0b5394}
.pane{overflow:auto;flex:1;min-height:0}
.item{padding:10px 14px;border-bottom:1px solid #eef1f5;cursor:pointer}
.item:hover,.item.selected{background:#e8f0fb}
.item:focus-visible,button:focus-visible{outline:3px solid #f0a500;outline-offset:-3px}
.empty-list{margin:8px 14px;color:#596575}
.item .topic{font-weight:600;overflow-wrap:anywhere}
.item .meta{font-size:13px;color:#596575}
.badge{display:inline-block;font-size:12px;border-radius:10px;padding:0 8px;margin-right:6px;background:#e3e8ef}
.badge.waiting,.badge.new{background:#fde7c3}
.badge.held,.badge.seen{background:#d3ecd9}
.badge.resolved{background:#e3e8ef}
#ticket{display:flex;flex-direction:column;overflow:hidden;min-width:0}
#empty{margin:40px;color:#596575}
.detail{display:flex;flex-direction:column;height:100%;overflow:hidden}
.summary{padding:10px 16px;background:#fff;border-bottom:1px solid #d5dbe3;max-height:34vh;overflow:auto;flex:none}
.summary dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 12px;margin:6px 0 0;font-size:14px}
.summary dt{color:#596575}
.summary dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
.actions{display:flex;flex-wrap:wrap;gap:8px;padding:8px 16px;background:#fff;border-bottom:1px solid #d5dbe3;flex:none;align-items:center}
#confirm-close{display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:8px 16px;background:#fdecec;border-bottom:1px solid #e3a3a3;flex:none}
#transcript{flex:1;overflow:auto;padding:12px 16px;display:flex;flex-direction:column;gap:6px}
.msg{max-width:75%;padding:6px 10px;border-radius:10px;white-space:pre-wrap;overflow-wrap:anywhere}
.msg.citizen{background:#fff;border:1px solid #d5dbe3;align-self:flex-start}
.msg.bot{background:#eef1f5;color:#33404f;align-self:flex-start;font-size:14px}
.msg.bot::before{content:"Trợ lý: ";font-weight:600}
.msg.staff{background:#0b5394;color:#fff;align-self:flex-end}
.msg.system{background:none;color:#596575;font-size:13px;align-self:center;text-align:center}
.msg .when{display:block;font-size:11px;opacity:.7}
.msg.undelivered{border:2px dashed #b42318}
#composer{padding:8px 16px;background:#fff;border-top:1px solid #d5dbe3;display:flex;flex-direction:column;gap:6px;flex:none}
#quick{display:flex;gap:6px;overflow-x:auto;padding-bottom:2px}
#quick button{flex:none;font-size:13px;padding:3px 8px;min-height:30px}
#composer-hint{margin:0;color:#596575}
#composer form,#resolve-form{display:flex;gap:8px}
#composer textarea,#resolve-form textarea{flex:1;min-width:0;min-height:54px;resize:vertical}
#report-body{padding:12px 16px;overflow:auto;flex:1}
#report-text{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #d5dbe3;border-radius:8px;padding:10px}
.phone a{color:inherit}
#reach{margin-top:6px;font-size:14px;display:flex;flex-direction:column;gap:2px}
#reach p{margin:0}
#reach .open{color:#1d5a2e}
#reach .closed{color:#b42318;font-weight:600}
#reach .delivery{color:#596575}
</style>
</head>
<body>
<form id="login" class="hidden" data-testid="login">
  <h2>Đăng nhập bàn làm việc cán bộ</h2>
  <label>Tên đăng nhập<br><input id="username" name="username" autocomplete="username" required></label>
  <label>Mật khẩu<br><input id="password" name="password" type="password" autocomplete="current-password" required></label>
  <div class="error" id="login-error" role="alert"></div>
  <button type="submit" id="login-button">Đăng nhập</button>
</form>
<div id="app" class="hidden">
  <header><h1>Bàn làm việc cán bộ — hỗ trợ người dân</h1><span id="me"></span><a href="/staff/kit">Bộ công cụ</a> <a href="/staff/reports">Báo cáo</a><button class="secondary" id="logout">Đăng xuất</button></header>
  ${demoBanner}
  <div id="offline" class="hidden" role="alert">Mất kết nối với máy chủ, đang kết nối lại… Yêu cầu mới có thể chưa hiện.</div>
  <div id="notice" class="hidden" role="status" data-testid="notice"></div>
  <main>
    <section id="side">
      <div id="tabs" role="tablist">
        <button type="button" role="tab" id="tab-tickets" aria-selected="true" data-testid="tab-tickets">Hàng chờ (<span id="count">0</span>)</button>
        <button type="button" role="tab" id="tab-reports" aria-selected="false" data-testid="tab-reports">Phản ánh (<span id="report-count">0</span> mới)</button>
        <button type="button" role="tab" id="tab-undelivered" aria-selected="false" data-testid="tab-undelivered">Chưa gửi được (<span id="undelivered-count">0</span>)</button>
      </div>
      <div id="queue" class="pane" role="tabpanel"><p id="list-empty" class="empty-list">Chưa có yêu cầu nào. Yêu cầu mới sẽ tự hiện ở đây.</p><div id="list" data-testid="queue"></div></div>
      <div id="reports" class="pane hidden" role="tabpanel"><p id="reports-empty" class="empty-list">Chưa có phản ánh nào.</p><div id="report-list" data-testid="reports"></div></div>
      <div id="undelivered" class="pane hidden" role="tabpanel"><p class="empty-list">Câu trả lời của trợ lý không gửi được đến người dân (nền tảng từ chối, hoặc lỗi kéo dài quá thời hạn thử lại). Người dân được xin lỗi khi nhắn tin tiếp theo.</p><p id="undelivered-empty" class="empty-list">Không có tin nào.</p><div id="undelivered-list" data-testid="undelivered"></div></div>
    </section>
    <section id="ticket">
      <p id="empty">Chọn một yêu cầu trong hàng chờ, hoặc một phản ánh.</p>
      <div id="detail" class="detail hidden" data-testid="ticket">
        <div class="summary"><strong id="topic"></strong><dl id="context"></dl><div id="reach" class="hidden" data-testid="reach" aria-live="polite"></div></div>
        <div class="actions">
          <button id="claim" data-testid="claim">Nhận xử lý</button>
          <button id="handback" class="secondary" data-testid="hand-back">Trả lại trợ lý</button>
          <button id="close" class="danger" data-testid="close">Kết thúc</button>
          <select id="transfer-to" aria-label="Chuyển cho cán bộ"></select>
          <button id="transfer" class="secondary">Chuyển</button>
          <button id="show-phone" class="secondary hidden" data-testid="show-phone">Hiện số</button>
          <span class="error" id="action-error" role="alert"></span>
        </div>
        <div id="confirm-close" class="hidden" role="alertdialog" aria-labelledby="confirm-text" data-testid="confirm-close">
          <span id="confirm-text">Kết thúc cuộc trò chuyện và mời người dân đánh giá?</span>
          <button id="confirm-yes" class="danger" data-testid="confirm-yes">Kết thúc</button>
          <button id="confirm-no" class="secondary">Không</button>
        </div>
        <div id="transcript" data-testid="transcript" aria-live="polite"></div>
        <div id="composer">
          <p id="composer-hint" class="hidden"></p>
          <div id="quick" aria-label="Câu trả lời mẫu"></div>
          <form id="reply-form"><textarea id="reply" maxlength="2000" aria-label="Nội dung trả lời" placeholder="Nhập nội dung trả lời người dân…" data-testid="reply"></textarea><button type="submit" id="send" data-testid="send">Gửi</button></form>
        </div>
      </div>
      <div id="report-detail" class="detail hidden" data-testid="report">
        <div class="summary"><strong>Phản ánh của người dân</strong><dl id="report-context"></dl></div>
        <div class="actions hidden" id="report-actions">
          <button id="report-show-phone" class="secondary" data-testid="report-show-phone">Hiện số</button>
        </div>
        <div id="report-body">
          <p class="error" id="report-error" role="alert"></p>
          <div id="report-text" data-testid="report-text"></div>
          <p id="report-resolved" class="hidden"></p>
          <form id="resolve-form"><textarea id="resolve-reply" maxlength="2000" aria-label="Trả lời người dân (không bắt buộc)" placeholder="Trả lời người dân (không bắt buộc)…"></textarea><button type="submit" id="resolve" data-testid="resolve">Đã xử lý</button></form>
        </div>
      </div>
    </section>
  </main>
</div>
<script nonce="${nonce}">
(() => {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const CHANNELS = ${JSON.stringify(options.channelLabels ?? {}).replace(/</g, '\\u003c')};
  const STATUS = { waiting: 'Đang chờ', held: 'Đang xử lý', closed: 'Đã đóng' };
  const REPORT_STATUS = { new: 'Mới', seen: 'Đã xem', resolved: 'Đã xử lý' };
  const LANGUAGES = { en: 'Tiếng Anh: người dân đọc tiếng Anh, xin trả lời bằng tiếng Anh' };
  const REASONS = { asked: 'Yêu cầu gặp cán bộ', failures: 'Trợ lý không hiểu', not_found: 'Không tìm thấy thủ tục' };
  const ERRORS = { already_claimed: 'Yêu cầu đã có cán bộ khác nhận.', not_holder: 'Anh/chị không giữ yêu cầu này.', closed: 'Yêu cầu đã đóng.', delivery_failed: 'Chưa gửi được tin nhắn đến người dân.', not_found: 'Không còn nữa (đã xóa hoặc hết hạn lưu).', unknown_staff: 'Không tìm thấy cán bộ này.', no_phone: 'Người dân không để lại số.', already_resolved: 'Phản ánh đã được xử lý.', bad_csrf_token: 'Phiên làm việc đã đổi, vui lòng thử lại.' };
  const baseTitle = document.title;
  let me = null, csrf = '', tickets = [], reports = [], quickReplies = [], quickRepliesByLang = {}, selected = null, selectedReport = null, current = null, unseen = 0, audio = null, events = null, staff = [], view = 'tickets';
  window.__consoleBeeps = 0;

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (k === 'class') node.className = v; else if (k === 'text') node.textContent = v; else if (k.startsWith('on')) node.addEventListener(k.slice(2), v); else node.setAttribute(k, v);
    }
    for (const c of children) if (c) node.append(c);
    return node;
  }
  async function api(method, path, body) {
    const post = method === 'POST';
    const headers = post ? { 'content-type': 'application/json', 'x-csrf-token': csrf } : {};
    const res = await fetch('/staff/api' + path, { method, credentials: 'same-origin', headers, body: post ? JSON.stringify(body || {}) : undefined });
    if (res.status === 401 && path !== '/login') { showLogin(); throw new Error('unauthorized'); }
    const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
    if (res.status === 403 && data.error === 'bad_csrf_token') await fetchCsrf();
    return { status: res.status, data };
  }
  async function fetchCsrf() { const res = await fetch('/staff/api/csrf', { credentials: 'same-origin' }); csrf = (await res.json().catch(() => ({}))).token || ''; }
  function errorText(status, data) { return status === 503 ? (data.message || 'Hệ thống tạm thời chưa sẵn sàng.') : (ERRORS[data.error] || 'Có lỗi, vui lòng thử lại.'); }
  function staffName(username) { const s = staff.find((x) => x.username === username); return s ? s.name : username; }
  function minutes(ms) { const m = Math.floor(ms / 60000); return m < 1 ? 'dưới 1 phút' : m < 60 ? m + ' phút' : Math.floor(m / 60) + ' giờ ' + (m % 60) + ' phút'; }
  function clock(t) { return new Date(t).toLocaleString('vi-VN', { hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit' }); }
  // ── reply window and delivery status: channels that limit replies (Zalo OA) report them ──
  Object.assign(ERRORS, {
    window_closed: 'Không gửi được: đã quá hạn trả lời qua kênh này, người dân cần nhắn trước (hoặc anh/chị gọi điện cho người dân).',
    unfollowed: 'Không gửi được: người dân đã bỏ quan tâm Official Account.',
  });
  function days(ms) { return Math.round(ms / 86400000); }
  function reachLines(s) {
    const lines = [], w = s.replyWindow;
    if (s.unfollowed) lines.push(['closed', 'Người dân đã bỏ quan tâm Official Account: không gửi được tin nhắn cho đến khi người dân quan tâm lại hoặc nhắn tin.']);
    else if (w && !w.open) lines.push(['closed', 'Hết hạn trả lời: đã quá ' + days(w.customerServiceUntil - w.lastInboundAt) + ' ngày từ tin nhắn cuối của người dân (' + clock(w.lastInboundAt) + '). Người dân cần nhắn trước thì mới trả lời được.']);
    else if (w) lines.push(['open', (w.freeRepliesLeft > 0 ? 'Còn ' + w.freeRepliesLeft + ' tin trả lời miễn phí đến ' + clock(w.freeUntil) : 'Hết tin trả lời miễn phí, tin gửi thêm có thể bị tính phí')
      + '. Trả lời được đến ' + clock(w.customerServiceUntil) + ' (' + days(w.customerServiceUntil - w.lastInboundAt) + ' ngày sau tin nhắn cuối của người dân).']);
    if (s.delivery) lines.push(['delivery', 'Tin nhắn gửi người dân: ' + (s.delivery.state === 'seen' ? 'đã xem' : 'đã nhận') + ' (' + clock(s.delivery.at) + ').']);
    return lines;
  }
  function renderReach(s) {
    const lines = s ? reachLines(s) : [];
    $('reach').replaceChildren(...lines.map(([kind, text]) => el('p', { class: kind, text })));
    $('reach').classList.toggle('hidden', lines.length === 0);
  }
  /** What replaces the reply box once the platform would refuse a reply ('' while it would not). */
  function blockedHint(s, t) {
    if (!s || !s.blocked) return '';
    return (s.blocked === 'unfollowed' ? 'Không gửi được tin nhắn: người dân đã bỏ quan tâm Official Account.' : 'Không gửi được tin nhắn: đã quá hạn trả lời, người dân cần nhắn trước.')
      + (t.phoneMasked ? ' Anh/chị có thể gọi điện cho người dân (bấm "Hiện số").' : ' Hoặc anh/chị gọi điện cho người dân nếu có số (người dân chưa để lại số ở đây).');
  }
  // The window closes with time and "đã xem" arrives without a console event: look again now and then.
  setInterval(() => { if (selected && current && current.channelStatus && !document.hidden) load(selected); }, 30000);

  function phoneNode(masked, shown) { if (!shown) return document.createTextNode(masked); return el('span', { class: 'phone' }, el('a', { href: 'tel:' + shown, text: shown })); }

  function showLogin() {
    if (events) { events.close(); events = null; }
    $('app').classList.add('hidden'); $('login').classList.remove('hidden'); $('username').focus();
    fetchCsrf();
  }
  async function showConsole(who) {
    me = who; $('me').textContent = who.name + ' (' + who.username + ')';
    $('login').classList.add('hidden'); $('app').classList.remove('hidden');
    const list = await api('GET', '/staff'); staff = list.data.staff || [];
    await refresh();
    await refreshReports();
    await refreshUndelivered();
    connect();
  }
  const UNDELIVERED_REASONS = { horizon: 'lỗi kéo dài quá thời hạn thử lại', blocked: 'người dân đã chặn tài khoản', unfollowed: 'người dân đã bỏ theo dõi', window_closed: 'hết thời hạn được trả lời', bad_request: 'nền tảng từ chối tin nhắn', unauthorized: 'mã truy cập bị từ chối', maybe_delivered: 'không rõ đã gửi được chưa (hết thời gian chờ hai lần)' };
  async function refreshUndelivered() {
    const { status, data } = await api('GET', '/undelivered');
    const list = status === 200 ? data.undelivered || [] : [];
    $('undelivered-count').textContent = String(list.length);
    $('undelivered-empty').classList.toggle('hidden', list.length > 0);
    $('undelivered-list').replaceChildren(...list.map((d) => el('div', { class: 'item', 'data-undelivered': d.key },
      el('div', { class: 'meta', text: clock(d.deadAt) + ' · ' + (CHANNELS[d.channel] || d.channel) + ' · ' + d.conversationId + ' · ' + (UNDELIVERED_REASONS[d.reason] || d.reason) }),
      ...d.texts.map((t) => el('div', { class: 'topic', text: t })))));
  }
  function connect() {
    if (events) events.close();
    events = new EventSource('/staff/api/events');
    events.addEventListener('ticket_opened', () => { announce(); refresh(); });
    events.addEventListener('report_opened', () => { announce(); refreshReports(); });
    for (const type of ['ticket_changed', 'message', 'ticket_removed']) {
      events.addEventListener(type, (e) => { const ev = JSON.parse(e.data); refresh(ev.ticketId); });
    }
    for (const type of ['report_changed', 'report_removed']) {
      events.addEventListener(type, (e) => { const ev = JSON.parse(e.data); refreshReports(ev.reportId); });
    }
    document.body.dataset.live = 'connecting';
    events.onopen = () => { document.body.dataset.live = 'open'; $('offline').classList.add('hidden'); refresh(); refreshReports(); };
    // EventSource retries by itself; meanwhile say so, since new tickets would not show.
    events.onerror = () => { document.body.dataset.live = 'connecting'; $('offline').classList.remove('hidden'); };
  }
  function beep() {
    window.__consoleBeeps += 1;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const osc = audio.createOscillator(), gain = audio.createGain();
      osc.type = 'sine'; osc.frequency.value = 880; gain.gain.value = 0.15;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + 0.25);
    } catch (e) { /* no audio device: the banner and title still show */ }
  }
  function announce() {
    unseen += 1;
    document.title = '(' + unseen + ') Yêu cầu mới — ' + baseTitle;
    $('notice').textContent = 'Có ' + unseen + ' yêu cầu hoặc phản ánh mới.';
    $('notice').classList.remove('hidden');
    beep();
  }
  function acknowledge() { unseen = 0; document.title = baseTitle; $('notice').classList.add('hidden'); }
  function showView(which) {
    view = which;
    $('tab-tickets').setAttribute('aria-selected', String(which === 'tickets'));
    $('tab-reports').setAttribute('aria-selected', String(which === 'reports'));
    $('tab-undelivered').setAttribute('aria-selected', String(which === 'undelivered'));
    $('queue').classList.toggle('hidden', which !== 'tickets');
    $('reports').classList.toggle('hidden', which !== 'reports');
    $('undelivered').classList.toggle('hidden', which !== 'undelivered');
  }
  function showDetail(which) {
    $('empty').classList.toggle('hidden', which !== null);
    $('detail').classList.toggle('hidden', which !== 'ticket');
    $('report-detail').classList.toggle('hidden', which !== 'report');
  }

  async function refresh(changedId) {
    const { data } = await api('GET', '/tickets');
    tickets = data.tickets || [];
    quickReplies = data.quickReplies || [];
    quickRepliesByLang = data.quickRepliesByLang || {};
    renderList();
    if (selected && (!changedId || changedId === selected)) await load(selected);
  }
  function renderList() {
    $('count').textContent = String(tickets.length);
    const list = $('list'); list.replaceChildren();
    $('list-empty').classList.toggle('hidden', tickets.length > 0);
    for (const t of tickets) {
      const status = t.status === 'held' ? STATUS.held + ': ' + staffName(t.staff) : STATUS[t.status];
      const open = () => { acknowledge(); select(t.id); };
      list.append(el('div', { class: 'item' + (t.id === selected ? ' selected' : ''), 'data-ticket': t.id, role: 'button', tabindex: '0', 'aria-current': t.id === selected ? 'true' : 'false', onclick: open,
        onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } } },
        el('div', { class: 'topic', text: t.topic }),
        el('div', { class: 'meta' }, el('span', { class: 'badge ' + t.status, text: status }), document.createTextNode((CHANNELS[t.channel] || t.channel) + (t.displayName ? ' · ' + t.displayName : '') + ' · chờ ' + minutes(Date.now() - t.openedAt)))));
    }
  }
  function renderQuick(t) {
    // In the ticket's language: an English conversation gets English answers.
    const own = (t.lang && quickRepliesByLang[t.lang]) || quickReplies;
    const usable = own.filter((q) => !q.needsPhone || t.phoneMasked);
    $('quick').replaceChildren(...usable.map((q) => el('button', { type: 'button', class: 'secondary', text: q.text.length > 40 ? q.text.slice(0, 39) + '…' : q.text, title: q.text, onclick: () => { $('reply').value = q.text; $('reply').focus(); } })));
  }
  async function select(id) { selected = id; selectedReport = null; $('confirm-close').classList.add('hidden'); renderList(); renderReports(); await load(id); }
  async function load(id) {
    const { status, data } = await api('GET', '/tickets/' + id);
    if (status === 404) { selected = null; current = null; showDetail(null); return; }
    if (status !== 200) { $('action-error').textContent = errorText(status, data); return; }
    if (current && current.id !== id) current.shownPhone = null;
    const shownPhone = current && current.id === id ? current.shownPhone : null;
    current = Object.assign(data.ticket, { shownPhone, channelStatus: data.channelStatus }); renderTicket(current, data.transcript || [], data.channelStatus);
  }
  function renderTicket(t, transcript, channelStatus) {
    // A newly opened ticket shows its latest messages; a refresh keeps the place unless it was at
    // the end. Measured first: showing the reply box below changes the transcript's height.
    const box = $('transcript'); const atBottom = box.dataset.shown !== t.id || box.scrollTop + box.clientHeight >= box.scrollHeight - 20;
    box.dataset.shown = t.id;
    showDetail('ticket');
    $('topic').textContent = t.topic;
    const rows = [
      ['Trạng thái', STATUS[t.status] + (t.staff ? ' (' + staffName(t.staff) + ')' : '')],
      ['Kênh', (CHANNELS[t.channel] || t.channel) + (t.displayName ? ' · ' + t.displayName : '')],
      ['Lý do', REASONS[t.reason] || t.reason],
      ['Ngôn ngữ', t.lang && t.lang !== 'vi' ? LANGUAGES[t.lang] || t.lang : ''],
      ['Mở lúc', clock(t.openedAt) + (t.afterHours ? ' (ngoài giờ)' : '')],
      ['Hỏi về', t.context.asked], ['Thủ tục', t.context.procedure && t.context.procedure.name],
      ['Còn thiếu', t.context.missing && t.context.missing.join('\\n')],
      ['Gọi lại số', t.phoneMasked ? phoneNode(t.phoneMasked, t.shownPhone) : ''],
      ['Đánh giá', t.rating ? t.rating + '/5' : ''],
    ];
    $('context').replaceChildren(...rows.filter((r) => r[1]).flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, typeof v === 'string' ? document.createTextNode(v) : v)]));
    $('show-phone').classList.toggle('hidden', !t.phoneMasked || !!t.shownPhone);
    const mine = t.status === 'held' && me && t.staff === me.username;
    $('claim').disabled = t.status !== 'waiting';
    for (const id of ['handback', 'close', 'transfer', 'send', 'reply', 'transfer-to']) $(id).disabled = !mine;
    if (!mine) $('confirm-close').classList.add('hidden');
    const others = staff.filter((s) => !me || s.username !== me.username);
    $('transfer-to').replaceChildren(...others.map((s) => el('option', { value: s.username, text: s.name + ' (' + s.username + ')' })));
    // With nobody to transfer to, the empty list and its button would only puzzle.
    $('transfer-to').classList.toggle('hidden', others.length === 0);
    $('transfer').classList.toggle('hidden', others.length === 0);
    renderReach(channelStatus);
    const blocked = t.status === 'closed' ? '' : blockedHint(channelStatus, t);
    const hint = t.status === 'waiting' ? (blocked ? 'Bấm "Nhận xử lý" để giữ yêu cầu. ' + blocked : 'Bấm "Nhận xử lý" để trả lời người dân.')
      : t.status === 'closed' ? 'Yêu cầu đã kết thúc.'
      : mine ? blocked : 'Cán bộ ' + staffName(t.staff) + ' đang xử lý yêu cầu này.';
    $('composer-hint').textContent = hint;
    $('composer-hint').classList.toggle('hidden', !hint);
    renderQuick(t);
    $('quick').classList.toggle('hidden', !mine || !!blocked);
    $('reply-form').classList.toggle('hidden', !mine || !!blocked);
    box.replaceChildren(...transcript.map((m) => el('div', { class: 'msg ' + m.from + (m.undelivered ? ' undelivered' : ''), 'data-from': m.from },
      document.createTextNode(m.text), el('span', { class: 'when', text: clock(m.at) + (m.by ? ' · ' + staffName(m.by) : '') + (m.undelivered ? ' · chưa gửi được' : '') }))));
    if (atBottom) box.scrollTop = box.scrollHeight;
  }
  async function act(path, body) {
    $('action-error').textContent = '';
    if (!current) return false;
    const { status, data } = await api('POST', '/tickets/' + current.id + path, body);
    if (status >= 400) $('action-error').textContent = errorText(status, data);
    await refresh();
    return status < 400;
  }

  async function refreshReports(changedId) {
    const { status, data } = await api('GET', '/reports');
    if (status !== 200) return;
    reports = data.reports || [];
    renderReports();
    if (selectedReport && (!changedId || changedId === selectedReport)) await loadReport(selectedReport);
  }
  function renderReports() {
    $('report-count').textContent = String(reports.filter((r) => r.status === 'new').length);
    $('reports-empty').classList.toggle('hidden', reports.length > 0);
    $('report-list').replaceChildren(...reports.map((r) => {
      const open = () => { acknowledge(); selectReport(r.id); };
      return el('div', { class: 'item' + (r.id === selectedReport ? ' selected' : ''), 'data-report': r.id, role: 'button', tabindex: '0', onclick: open,
        onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } } },
        el('div', { class: 'topic', text: r.text.length > 90 ? r.text.slice(0, 89) + '…' : r.text }),
        el('div', { class: 'meta' }, el('span', { class: 'badge ' + r.status, text: REPORT_STATUS[r.status] }), document.createTextNode((CHANNELS[r.channel] || r.channel) + ' · ' + clock(r.createdAt))));
    }));
  }
  let shownReportPhone = null;
  async function selectReport(id) {
    if (selectedReport !== id) shownReportPhone = null;
    selectedReport = id; selected = null; current = null; renderList(); renderReports();
    const found = reports.find((r) => r.id === id);
    if (found && found.status === 'new') await api('POST', '/reports/' + id + '/seen');
    await refreshReports(id);
  }
  async function loadReport(id) {
    const { status, data } = await api('GET', '/reports/' + id);
    if (status === 404) { selectedReport = null; showDetail(null); return; }
    if (status !== 200) { $('report-error').textContent = errorText(status, data); return; }
    const r = data.report;
    showDetail('report');
    const rows = [
      ['Trạng thái', REPORT_STATUS[r.status] + (r.resolvedBy ? ' (' + staffName(r.resolvedBy) + ')' : r.seenBy ? ' (' + staffName(r.seenBy) + ')' : '')],
      ['Kênh', (CHANNELS[r.channel] || r.channel) + (r.displayName ? ' · ' + r.displayName : '')],
      ['Gửi lúc', clock(r.createdAt)],
      ['Thủ tục', r.procedure && r.procedure.name],
      ['Gọi lại số', r.phoneMasked ? phoneNode(r.phoneMasked, shownReportPhone) : ''],
    ];
    $('report-context').replaceChildren(...rows.filter((x) => x[1]).flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, typeof v === 'string' ? document.createTextNode(v) : v)]));
    $('report-text').textContent = r.text;
    $('report-actions').classList.toggle('hidden', !r.phoneMasked || !!shownReportPhone);
    const resolved = r.status === 'resolved';
    $('resolve-form').classList.toggle('hidden', resolved);
    $('report-resolved').classList.toggle('hidden', !resolved);
    $('report-resolved').textContent = resolved ? 'Đã xử lý lúc ' + clock(r.resolvedAt) + (r.reply ? '. Đã trả lời: "' + r.reply + '"' + (r.replyDelivered ? '' : ' (chưa gửi được đến người dân)') : '.') : '';
  }

  $('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    try { audio = audio || new (window.AudioContext || window.webkitAudioContext)(); } catch (err) { /* no audio */ }
    $('login-error').textContent = '';
    if (!csrf) await fetchCsrf();
    const { status, data } = await api('POST', '/login', { username: $('username').value, password: $('password').value });
    if (status === 200) { $('password').value = ''; csrf = data.csrf || ''; showConsole(data); }
    else $('login-error').textContent = status === 429 ? 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút.' : status === 503 ? errorText(status, data) : status === 403 ? 'Trang đã cũ, vui lòng tải lại và đăng nhập lại.' : 'Sai tên đăng nhập hoặc mật khẩu.';
  });
  $('logout').addEventListener('click', async () => { await api('POST', '/logout'); me = null; showLogin(); });
  $('tab-tickets').addEventListener('click', () => showView('tickets'));
  $('tab-reports').addEventListener('click', () => showView('reports'));
  $('tab-undelivered').addEventListener('click', () => { showView('undelivered'); refreshUndelivered(); });
  $('claim').addEventListener('click', async () => { if (await act('/claim')) $('reply').focus(); });
  $('handback').addEventListener('click', () => act('/hand-back'));
  // Closing sends the citizen a rating request and cannot be undone: ask first, in the page.
  $('close').addEventListener('click', () => { $('confirm-close').classList.remove('hidden'); $('confirm-yes').focus(); });
  $('confirm-no').addEventListener('click', () => { $('confirm-close').classList.add('hidden'); $('close').focus(); });
  $('confirm-yes').addEventListener('click', async () => { $('confirm-close').classList.add('hidden'); await act('/close'); });
  $('transfer').addEventListener('click', () => { const to = $('transfer-to').value; if (to) act('/transfer', { to }); });
  $('show-phone').addEventListener('click', async () => {
    if (!current) return;
    const { status, data } = await api('POST', '/tickets/' + current.id + '/phone');
    if (status === 200) { current.shownPhone = data.phone; await load(current.id); } else $('action-error').textContent = errorText(status, data);
  });
  $('report-show-phone').addEventListener('click', async () => {
    if (!selectedReport) return;
    const { status, data } = await api('POST', '/reports/' + selectedReport + '/phone');
    if (status === 200) { shownReportPhone = data.phone; await loadReport(selectedReport); } else $('report-error').textContent = errorText(status, data);
  });
  $('resolve-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!selectedReport) return;
    $('report-error').textContent = '';
    const reply = $('resolve-reply').value.trim();
    const { status, data } = await api('POST', '/reports/' + selectedReport + '/resolve', reply ? { reply } : {});
    if (status >= 400) $('report-error').textContent = errorText(status, data); else $('resolve-reply').value = '';
    await refreshReports(selectedReport);
  });
  $('reply-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('reply').value.trim(); if (!text) return;
    if (await act('/reply', { text })) $('reply').value = '';
  });
  $('reply').addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('reply-form').requestSubmit(); } });
  setInterval(renderList, 30000);
  setInterval(() => { if (me && !document.hidden) refreshUndelivered(); }, 60000);

  fetchCsrf().then(() => api('GET', '/me')).then(({ status, data }) => (status === 200 ? showConsole(data) : showLogin())).catch(() => showLogin());
})();
</script>
</body>
</html>
`;
}
