/**
 * @module The staff console: one self-contained HTML page (inline CSS and JS under a CSP nonce,
 * Vietnamese UI) that talks to the staff API. Everything a citizen or staff member wrote is put
 * in the page with `textContent`, never as HTML, so a message holding markup or a script shows
 * as the text it is. New tickets announce themselves with a banner, a changed title and a beep.
 */

export function renderConsolePage(options: { nonce: string; channelLabels?: Record<string, string> }): string {
  const { nonce } = options;
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Bàn làm việc cán bộ</title>
<style nonce="${nonce}">
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2733;background:#f3f5f8}
header{display:flex;align-items:center;gap:12px;padding:10px 16px;background:#0b5394;color:#fff}
header h1{font-size:17px;margin:0;flex:1}
button{font:inherit;border:1px solid #0b5394;background:#0b5394;color:#fff;border-radius:6px;padding:6px 12px;cursor:pointer}
button.secondary{background:#fff;color:#0b5394}
button.danger{background:#b42318;border-color:#b42318}
button:disabled{opacity:.5;cursor:default}
input,select,textarea{font:inherit;padding:6px 8px;border:1px solid #a8b3c2;border-radius:6px}
.hidden{display:none!important}
#login{max-width:340px;margin:12vh auto;background:#fff;padding:24px;border-radius:10px;box-shadow:0 2px 10px #0002;display:flex;flex-direction:column;gap:10px}
#login h2{margin:0 0 6px;font-size:19px}
.error{color:#b42318;min-height:1.2em}
#offline{background:#fdecec;color:#8a1c1c;border-bottom:1px solid #e3a3a3;padding:8px 16px;font-weight:600}
#notice{background:#fff4cc;border-bottom:1px solid #e7c35a;padding:8px 16px;font-weight:600}
#app{display:flex;flex-direction:column;height:100vh}
main{flex:1;min-height:0;display:grid;grid-template-columns:minmax(220px,min(340px,30%)) 1fr}
#queue{overflow:auto;border-right:1px solid #d5dbe3;background:#fff}
#queue h2,#ticket h2{font-size:15px;margin:12px 14px}
.item{padding:10px 14px;border-bottom:1px solid #eef1f5;cursor:pointer}
.item:hover,.item.selected{background:#e8f0fb}
.item:focus-visible,button:focus-visible{outline:3px solid #f0a500;outline-offset:-3px}
#list-empty{margin:8px 14px;color:#596575}
.item .topic{font-weight:600}
.item .meta{font-size:13px;color:#596575}
.badge{display:inline-block;font-size:12px;border-radius:10px;padding:0 8px;margin-right:6px;background:#e3e8ef}
.badge.waiting{background:#fde7c3}
.badge.held{background:#d3ecd9}
#ticket{display:flex;flex-direction:column;overflow:hidden}
#empty{margin:40px;color:#596575}
#detail{display:flex;flex-direction:column;height:100%;overflow:hidden}
#summary{padding:10px 16px;background:#fff;border-bottom:1px solid #d5dbe3;max-height:34vh;overflow:auto;flex:none}
#summary dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0 0;font-size:14px}
#summary dt{color:#596575}
#summary dd{margin:0;white-space:pre-wrap;word-break:break-word}
#actions{display:flex;flex-wrap:wrap;gap:8px;padding:8px 16px;background:#fff;border-bottom:1px solid #d5dbe3}
#transcript{flex:1;overflow:auto;padding:12px 16px;display:flex;flex-direction:column;gap:6px}
.msg{max-width:75%;padding:6px 10px;border-radius:10px;white-space:pre-wrap;word-break:break-word}
.msg.citizen{background:#fff;border:1px solid #d5dbe3;align-self:flex-start}
.msg.staff{background:#0b5394;color:#fff;align-self:flex-end}
.msg.system{background:none;color:#596575;font-size:13px;align-self:center;text-align:center}
.msg .when{display:block;font-size:11px;opacity:.7}
.msg.undelivered{border:2px dashed #b42318}
#composer{padding:8px 16px;background:#fff;border-top:1px solid #d5dbe3;display:flex;flex-direction:column;gap:6px}
#quick{display:flex;gap:6px;overflow-x:auto;padding-bottom:2px}
#quick button{flex:none;font-size:13px;padding:3px 8px}
#composer-hint{margin:0;color:#596575}
#composer form{display:flex;gap:8px}
#composer textarea{flex:1;min-height:54px;resize:vertical}
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
  <header><h1>Bàn làm việc cán bộ — hỗ trợ người dân</h1><span id="me"></span><button class="secondary" id="logout">Đăng xuất</button></header>
  <div id="offline" class="hidden" role="alert">Mất kết nối với máy chủ, đang kết nối lại… Yêu cầu mới có thể chưa hiện.</div>
  <div id="notice" class="hidden" role="status" data-testid="notice"></div>
  <main>
    <section id="queue"><h2>Hàng chờ (<span id="count">0</span>)</h2><p id="list-empty">Chưa có yêu cầu nào. Yêu cầu mới sẽ tự hiện ở đây.</p><div id="list" data-testid="queue"></div></section>
    <section id="ticket">
      <p id="empty">Chọn một yêu cầu trong hàng chờ.</p>
      <div id="detail" class="hidden" data-testid="ticket">
        <div id="summary"><strong id="topic"></strong><dl id="context"></dl></div>
        <div id="actions">
          <button id="claim" data-testid="claim">Nhận xử lý</button>
          <button id="handback" class="secondary" data-testid="hand-back">Trả lại trợ lý</button>
          <button id="close" class="danger" data-testid="close">Kết thúc</button>
          <select id="transfer-to" aria-label="Chuyển cho cán bộ"></select>
          <button id="transfer" class="secondary">Chuyển</button>
          <span class="error" id="action-error" role="alert"></span>
        </div>
        <div id="transcript" data-testid="transcript" aria-live="polite"></div>
        <div id="composer">
          <p id="composer-hint" class="hidden"></p>
          <div id="quick" aria-label="Câu trả lời mẫu"></div>
          <form id="reply-form"><textarea id="reply" maxlength="2000" aria-label="Nội dung trả lời" placeholder="Nhập nội dung trả lời người dân…" data-testid="reply"></textarea><button type="submit" id="send" data-testid="send">Gửi</button></form>
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
  const REASONS = { asked: 'Yêu cầu gặp cán bộ', failures: 'Trợ lý không hiểu', report: 'Phản ánh', not_found: 'Không tìm thấy thủ tục' };
  const baseTitle = document.title;
  let me = null, tickets = [], selected = null, current = null, unseen = 0, audio = null, events = null, staff = [];
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
    const res = await fetch('/staff/api' + path, { method, credentials: 'same-origin', headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    if (res.status === 401 && path !== '/login') { showLogin(); throw new Error('unauthorized'); }
    const data = res.status === 204 ? {} : await res.json().catch(() => ({}));
    return { status: res.status, data };
  }
  function staffName(username) { const s = staff.find((x) => x.username === username); return s ? s.name : username; }
  function minutes(ms) { const m = Math.floor(ms / 60000); return m < 1 ? 'dưới 1 phút' : m < 60 ? m + ' phút' : Math.floor(m / 60) + ' giờ ' + (m % 60) + ' phút'; }
  function clock(t) { return new Date(t).toLocaleString('vi-VN', { hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit' }); }

  function showLogin() {
    if (events) { events.close(); events = null; }
    $('app').classList.add('hidden'); $('login').classList.remove('hidden'); $('username').focus();
  }
  async function showConsole(who) {
    me = who; $('me').textContent = who.name + ' (' + who.username + ')';
    $('login').classList.add('hidden'); $('app').classList.remove('hidden');
    const list = await api('GET', '/staff'); staff = list.data.staff || [];
    await refresh();
    connect();
  }
  function connect() {
    if (events) events.close();
    events = new EventSource('/staff/api/events');
    events.addEventListener('ticket_opened', () => { announce(); refresh(); });
    for (const type of ['ticket_changed', 'message', 'ticket_removed']) {
      events.addEventListener(type, (e) => { const ev = JSON.parse(e.data); refresh(ev.ticketId); });
    }
    document.body.dataset.live = 'connecting';
    events.onopen = () => { document.body.dataset.live = 'open'; $('offline').classList.add('hidden'); refresh(); };
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
    $('notice').textContent = 'Có ' + unseen + ' yêu cầu mới đang chờ cán bộ.';
    $('notice').classList.remove('hidden');
    beep();
  }
  function acknowledge() { unseen = 0; document.title = baseTitle; $('notice').classList.add('hidden'); }

  async function refresh(changedId) {
    const { data } = await api('GET', '/tickets');
    tickets = data.tickets || [];
    renderQuick(data.quickReplies || []);
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
  function renderQuick(replies) {
    const box = $('quick'); if (box.childElementCount === replies.length) return;
    box.replaceChildren(...replies.map((r) => el('button', { type: 'button', class: 'secondary', text: r.length > 40 ? r.slice(0, 39) + '…' : r, title: r, onclick: () => { $('reply').value = r; $('reply').focus(); } })));
  }
  async function select(id) { selected = id; renderList(); await load(id); }
  async function load(id) {
    const { status, data } = await api('GET', '/tickets/' + id);
    if (status === 404) { selected = null; current = null; $('detail').classList.add('hidden'); $('empty').classList.remove('hidden'); return; }
    current = data.ticket; renderTicket(data.ticket, data.transcript || []);
  }
  function renderTicket(t, transcript) {
    $('empty').classList.add('hidden'); $('detail').classList.remove('hidden');
    $('topic').textContent = t.topic;
    const rows = [
      ['Trạng thái', STATUS[t.status] + (t.staff ? ' (' + staffName(t.staff) + ')' : '')],
      ['Kênh', (CHANNELS[t.channel] || t.channel) + (t.displayName ? ' · ' + t.displayName : '')],
      ['Lý do', REASONS[t.reason] || t.reason],
      ['Mở lúc', clock(t.openedAt) + (t.afterHours ? ' (ngoài giờ)' : '')],
      ['Hỏi về', t.context.asked], ['Thủ tục', t.context.procedure && t.context.procedure.name],
      ['Còn thiếu', t.context.missing && t.context.missing.join('\\n')], ['Phản ánh', t.context.report],
      ['Gọi lại số', t.phone], ['Tin nhắn trước', t.context.lastMessages && t.context.lastMessages.join('\\n')],
      ['Đánh giá', t.rating ? t.rating + '/5' : ''],
    ];
    $('context').replaceChildren(...rows.filter((r) => r[1]).flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: String(v) })]));
    const mine = t.status === 'held' && me && t.staff === me.username;
    $('claim').disabled = t.status !== 'waiting';
    for (const id of ['handback', 'close', 'transfer', 'send', 'reply', 'transfer-to']) $(id).disabled = !mine;
    const others = staff.filter((s) => !me || s.username !== me.username);
    $('transfer-to').replaceChildren(...others.map((s) => el('option', { value: s.username, text: s.name + ' (' + s.username + ')' })));
    // With nobody to transfer to, the empty list and its button would only puzzle.
    $('transfer-to').classList.toggle('hidden', others.length === 0);
    $('transfer').classList.toggle('hidden', others.length === 0);
    const hint = t.status === 'waiting' ? 'Bấm "Nhận xử lý" để trả lời người dân.'
      : t.status === 'closed' ? 'Yêu cầu đã kết thúc.'
      : mine ? '' : 'Cán bộ ' + staffName(t.staff) + ' đang xử lý yêu cầu này.';
    $('composer-hint').textContent = hint;
    $('composer-hint').classList.toggle('hidden', !hint);
    $('quick').classList.toggle('hidden', !mine);
    $('reply-form').classList.toggle('hidden', !mine);
    const box = $('transcript'); const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 20;
    box.replaceChildren(...transcript.map((m) => el('div', { class: 'msg ' + m.from + (m.undelivered ? ' undelivered' : ''), 'data-from': m.from },
      document.createTextNode(m.text), el('span', { class: 'when', text: clock(m.at) + (m.by ? ' · ' + m.by : '') + (m.undelivered ? ' · chưa gửi được' : '') }))));
    if (atBottom) box.scrollTop = box.scrollHeight;
  }
  async function act(path, body) {
    $('action-error').textContent = '';
    if (!current) return;
    const { status, data } = await api('POST', '/tickets/' + current.id + path, body);
    const errors = { already_claimed: 'Yêu cầu đã có cán bộ khác nhận.', not_holder: 'Anh/chị không giữ yêu cầu này.', closed: 'Yêu cầu đã đóng.', delivery_failed: 'Chưa gửi được tin nhắn đến người dân.', not_found: 'Yêu cầu không còn nữa.', unknown_staff: 'Không tìm thấy cán bộ này.' };
    if (status >= 400) $('action-error').textContent = errors[data.error] || 'Có lỗi, vui lòng thử lại.';
    await refresh();
    return status < 400;
  }

  $('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    try { audio = audio || new (window.AudioContext || window.webkitAudioContext)(); } catch (err) { /* no audio */ }
    $('login-error').textContent = '';
    const { status, data } = await api('POST', '/login', { username: $('username').value, password: $('password').value });
    if (status === 200) { $('password').value = ''; showConsole(data); }
    else $('login-error').textContent = status === 429 ? 'Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút.' : 'Sai tên đăng nhập hoặc mật khẩu.';
  });
  $('logout').addEventListener('click', async () => { await api('POST', '/logout'); me = null; showLogin(); });
  $('claim').addEventListener('click', async () => { if (await act('/claim')) $('reply').focus(); });
  $('handback').addEventListener('click', () => act('/hand-back'));
  $('close').addEventListener('click', () => act('/close'));
  $('transfer').addEventListener('click', () => { const to = $('transfer-to').value; if (to) act('/transfer', { to }); });
  $('reply-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('reply').value.trim(); if (!text) return;
    if (await act('/reply', { text })) $('reply').value = '';
  });
  $('reply').addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('reply-form').requestSubmit(); } });
  setInterval(renderList, 30000);

  api('GET', '/me').then(({ status, data }) => (status === 200 ? showConsole(data) : showLogin())).catch(() => showLogin());
})();
</script>
</body>
</html>
`;
}
