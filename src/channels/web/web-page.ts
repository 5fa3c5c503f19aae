/**
 * @module The web chat page: one self-contained HTML document (inline CSS and JS, no build step),
 * made for phones first. Bot messages arrive as HTML already made safe by render.ts; everything
 * else (what the citizen typed, choice and link labels) is set with textContent, never as HTML.
 * The page keeps its conversation id in localStorage, shows the kept transcript after a reload,
 * sends `start` on a first visit (or with `?start=<id>` from a poster's QR code), retries a POST
 * with the same message id, and listens on SSE for messages sent outside a turn.
 * Served with a CSP that allows only this page's nonce'd script and style.
 */
import { escapeHtml } from './render.js';

export interface ChatPageOptions {
  unitName: string;
  shortName: string;
  /** CSP nonce of this response. */
  nonce: string;
}

const STYLE = `
:root{--brand:#0b5cad;--brand-dark:#08488a;--bg:#eef2f6;--text:#1b1f24;--muted:#5b6572;--line:#d5dde7}
*{box-sizing:border-box}
html,body{margin:0;height:100%}
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:var(--text);background:var(--bg);display:flex;flex-direction:column;height:100vh;height:100dvh;-webkit-text-size-adjust:100%}
header{background:var(--brand);color:#fff;display:flex;align-items:center;gap:8px;padding:10px 12px;padding-top:max(10px,env(safe-area-inset-top));box-shadow:0 1px 3px rgba(0,0,0,.2);z-index:1}
.avatar{flex:none;width:38px;height:38px;border-radius:50%;background:#fff;color:var(--brand);display:grid;place-items:center;font-weight:700;font-size:15px}
.title{flex:1;min-width:0}
h1{font-size:16px;margin:0;font-weight:650}
.title p{margin:0;font-size:12.5px;opacity:.9;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
header button{flex:none;background:rgba(255,255,255,.14);color:#fff;border:1px solid rgba(255,255,255,.45);border-radius:18px;padding:6px 12px;font:inherit;font-size:14px;cursor:pointer}
header button[hidden]{display:none}
#log{position:relative;flex:1;overflow-y:auto;padding:14px max(10px,calc((100% - 760px)/2)) 8px;display:flex;flex-direction:column;gap:8px;-webkit-overflow-scrolling:touch;overscroll-behavior:contain}
.msg{max-width:88%;padding:9px 12px;border-radius:16px;overflow-wrap:anywhere;word-break:break-word}
.bot{align-self:flex-start;background:#fff;border-bottom-left-radius:5px;box-shadow:0 1px 1.5px rgba(0,0,0,.08)}
.citizen{align-self:flex-end;background:var(--brand);color:#fff;border-bottom-right-radius:5px;white-space:pre-wrap}
.bot p{margin:0 0 6px}.bot p:last-child{margin-bottom:0}
.bot ul,.bot ol{margin:4px 0 6px;padding-left:22px}.bot li{margin:2px 0}
.bot .body a{color:var(--brand-dark);font-weight:600;white-space:nowrap}
.links{display:flex;flex-direction:column;gap:6px;margin-top:8px}
.links a{display:block;color:var(--brand);font-weight:600;text-decoration:none;border:1px solid #bfd0e6;background:#f5f9fe;border-radius:10px;padding:8px 10px}
.links a::after{content:" ↗"}
.choices{align-self:stretch;display:flex;flex-wrap:wrap;gap:6px;padding:0 0 4px}
.choices button{background:#fff;color:var(--brand-dark);border:1.5px solid var(--brand);border-radius:18px;padding:8px 13px;font:inherit;font-size:15px;line-height:1.3;cursor:pointer;text-align:left;max-width:100%}
.choices button:active{background:#e4eefa}
@media (hover:hover){.choices button:hover{background:#e4eefa}}
button:focus-visible,.links a:focus-visible{outline:3px solid #f0a500;outline-offset:2px}
.notice{align-self:center;max-width:92%;text-align:center;font-size:14px;color:#8a1c1c;background:#fdecec;border-radius:10px;padding:8px 12px}
.notice button{margin-left:6px;font:inherit;font-size:14px;color:#8a1c1c;background:none;border:1px solid #8a1c1c;border-radius:14px;padding:2px 10px;cursor:pointer}
.typing{align-self:flex-start;background:#fff;border-radius:16px;padding:12px 14px;display:flex;gap:4px}
.typing span{width:7px;height:7px;border-radius:50%;background:#9aa6b4;animation:blink 1.2s infinite}
.typing span:nth-child(2){animation-delay:.2s}.typing span:nth-child(3){animation-delay:.4s}
@keyframes blink{0%,80%,100%{opacity:.3}40%{opacity:1}}
form{position:relative;display:flex;align-items:flex-end;gap:8px;padding:8px max(10px,calc((100% - 760px)/2));padding-bottom:max(8px,env(safe-area-inset-bottom));background:#fff;border-top:1px solid var(--line)}
textarea{flex:1;resize:none;font:inherit;border:1px solid #c3ccd7;border-radius:21px;padding:9px 14px;min-height:42px;max-height:128px;outline:none;background:#fff;color:var(--text)}
textarea:focus{border-color:var(--brand);box-shadow:0 0 0 2px rgba(11,92,173,.15)}
#send{flex:none;width:42px;height:42px;border-radius:50%;border:0;background:var(--brand);color:#fff;display:grid;place-items:center;cursor:pointer}
#send:disabled{opacity:.4;cursor:default}
#count{position:absolute;right:calc(max(10px,(100% - 760px)/2) + 52px);top:-20px;font-size:12px;color:var(--muted);background:rgba(255,255,255,.85);border-radius:6px;padding:0 4px}
#count:empty{display:none}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;

// Plain ES2017 (old in-app browsers); no optional chaining.
const SCRIPT = `
(function () {
  'use strict';
  var KEY = 'dvc-webchat:conversation';
  var UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  var log = document.getElementById('log');
  var form = document.getElementById('composer');
  var input = document.getElementById('text');
  var sendButton = document.getElementById('send');
  var counter = document.getElementById('count');
  var shown = {};
  var queue = Promise.resolve();
  var typingEl = null;
  // Distance of the view from the end of the log, kept so a resize (the phone keyboard opening)
  // leaves the same messages in sight instead of hiding the newest ones.
  var fromBottom = 0;
  // After a button is pressed, the next buttons take the focus (a keyboard user keeps their place).
  var focusChoices = false;
  var finePointer = window.matchMedia ? window.matchMedia('(pointer: fine)').matches : false;

  function uuid() {
    if (window.crypto && crypto.randomUUID) { try { return crypto.randomUUID(); } catch (e) {} }
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }
  var storage = null;
  try { localStorage.setItem('dvc-webchat:t', '1'); localStorage.removeItem('dvc-webchat:t'); storage = localStorage; } catch (e) {}
  var cid = storage ? storage.getItem(KEY) : null;
  if (!cid || !UUID.test(cid)) { cid = uuid(); if (storage) storage.setItem(KEY, cid); }
  var base = 'webchat/conversations/' + cid;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function scroll() { log.scrollTop = log.scrollHeight; }
  // A long answer (a procedure card) is shown from its first line, not its last: scrolling to
  // the bottom would leave the citizen reading the end of the card first.
  function reveal(node) {
    var top = node.offsetTop - 8;
    if (log.scrollHeight - top > log.clientHeight) log.scrollTop = top; else scroll();
  }
  function put(node) {
    if (typingEl && typingEl.parentNode) log.insertBefore(node, typingEl); else log.appendChild(node);
    scroll();
  }
  function clearChoices() {
    var old = log.querySelectorAll('.choices');
    for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
  }
  function addCitizen(id, text) {
    if (shown[id]) return;
    shown[id] = 1;
    put(el('div', 'msg citizen', text));
  }
  function addBot(m) {
    if (shown[m.id]) return null;
    shown[m.id] = 1;
    var bubble = el('div', 'msg bot');
    var body = el('div', 'body');
    body.innerHTML = m.html; // made safe on the server (render.ts): escaped text, a few tags
    bubble.appendChild(body);
    var links = (m.links || []).filter(function (l) { return /^https?:\\/\\//i.test(l.url); });
    if (links.length) {
      var box = el('div', 'links');
      links.forEach(function (l) {
        var a = el('a', '', l.label);
        a.href = l.url; a.target = '_blank'; a.rel = 'noopener noreferrer';
        a.appendChild(el('span', 'sr', ' (mở trong thẻ mới)'));
        box.appendChild(a);
      });
      bubble.appendChild(box);
    }
    put(bubble);
    if (m.choices && m.choices.length) {
      clearChoices();
      var row = el('div', 'choices');
      m.choices.forEach(function (c) {
        var b = el('button', '', c.label);
        b.type = 'button';
        b.addEventListener('click', function () {
          focusChoices = document.activeElement === b;
          send({ kind: 'choice', choiceId: c.id, label: c.label }, c.label);
        });
        row.appendChild(b);
      });
      put(row);
      if (focusChoices) { focusChoices = false; row.firstChild.focus({ preventScroll: true }); }
    }
    return bubble;
  }
  function addEntry(e) { if (e.from === 'citizen') addCitizen(e.id, e.text); else addBot(e); }
  function typing(on) {
    if (on && !typingEl) {
      typingEl = el('div', 'typing');
      typingEl.setAttribute('aria-label', words().typing);
      for (var i = 0; i < 3; i++) typingEl.appendChild(el('span'));
      log.appendChild(typingEl); scroll();
    } else if (!on && typingEl) {
      if (typingEl.parentNode) typingEl.parentNode.removeChild(typingEl);
      typingEl = null;
    }
  }
  function notice(text, retry) {
    var n = el('div', 'notice', text);
    n.setAttribute('role', 'alert');
    if (retry) {
      var b = el('button', '', words().retry);
      b.type = 'button';
      b.addEventListener('click', function () { n.parentNode.removeChild(n); retry(); });
      n.appendChild(b);
    }
    put(n);
  }
  // The page's own words, in the conversation's language (the server says it with each answer).
  var WORDS = {
    vi: { title: 'Trợ lý dịch vụ công', menu: 'Về menu chính', close: 'Đóng cửa sổ trò chuyện', log: 'Cuộc trò chuyện', label: 'Tin nhắn', placeholder: 'Nhập câu hỏi của anh/chị…', send: 'Gửi', typing: 'Đang trả lời', retry: 'Thử lại', failed: 'Có lỗi xảy ra, vui lòng thử lại ạ.', offline: 'Không gửi được tin nhắn. Anh/chị kiểm tra kết nối mạng rồi thử lại ạ.' },
    en: { title: 'Public-services assistant', menu: 'Main menu', close: 'Close the chat', log: 'Conversation', label: 'Message', placeholder: 'Type your question…', send: 'Send', typing: 'Replying', retry: 'Try again', failed: 'Something went wrong, please try again.', offline: 'The message could not be sent. Please check your connection and try again.' }
  };
  var language = 'vi';
  function words() { return WORDS[language] || WORDS.vi; }
  function setLanguage(lang) {
    if (!WORDS[lang] || lang === language) return;
    language = lang;
    var w = words();
    document.documentElement.lang = lang;
    document.querySelector('header h1').textContent = w.title;
    document.getElementById('menu').setAttribute('aria-label', w.menu);
    document.getElementById('close').setAttribute('aria-label', w.close);
    log.setAttribute('aria-label', w.log);
    document.querySelector('label[for=text]').textContent = w.label;
    input.setAttribute('placeholder', w.placeholder);
    document.getElementById('send').setAttribute('aria-label', w.send);
  }
  function wait(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function getJson(url) {
    return fetch(url, { headers: { accept: 'application/json' }, cache: 'no-store' }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    });
  }
  function sync() {
    return getJson(base + '/transcript').then(function (j) { j.entries.forEach(addEntry); return j.entries.length; });
  }
  function post(body, attempt) {
    typing(true);
    return fetch(base + '/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, j: j }; }, function () { return { ok: false, j: null }; });
    }).then(function (res) {
      typing(false);
      if (!res.ok) {
        notice(res.j && res.j.error ? res.j.error.message : words().failed);
        return;
      }
      if (res.j.lang) setLanguage(res.j.lang);
      if (res.j.erased) { log.textContent = ''; shown = {}; }
      if (res.j.status === 'duplicate') return sync();
      var first = null;
      res.j.replies.forEach(function (m) { var node = addBot(m); if (!first) first = node; });
      if (first) reveal(first);
      if (focusChoices) {
        // The pressed button is gone and no new ones came: back to the text box (not on touch
        // screens, where that would open the keyboard).
        focusChoices = false;
        if (finePointer) input.focus({ preventScroll: true });
      }
    }, function () {
      // Network trouble: resend the same message id, so it is answered once however many arrive.
      if (attempt < 3) return wait(800 * (attempt + 1)).then(function () { return post(body, attempt + 1); });
      typing(false);
      notice(words().offline, function () { queue = queue.then(function () { return post(body, 0); }); });
    });
  }
  function send(fields, label) {
    var body = { messageId: uuid(), kind: fields.kind };
    if (fields.text !== undefined) body.text = fields.text;
    if (fields.choiceId !== undefined) body.choiceId = fields.choiceId;
    if (fields.label !== undefined) body.label = fields.label;
    if (label) { clearChoices(); addCitizen('c-' + body.messageId, label); }
    queue = queue.then(function () { return post(body, 0); });
    return queue;
  }

  function resize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 128) + 'px';
    var n = input.value.length;
    sendButton.disabled = input.value.trim() === '';
    counter.textContent = n > 1800 ? n + '/2000' : '';
  }
  input.addEventListener('input', resize);
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); form.requestSubmit ? form.requestSubmit() : submit(e); }
  });
  function submit(e) {
    if (e) e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    resize();
    send({ kind: 'text', text: text }, text);
  }
  form.addEventListener('submit', submit);
  log.addEventListener('scroll', function () { fromBottom = log.scrollHeight - log.clientHeight - log.scrollTop; });
  function keepPlace() { log.scrollTop = log.scrollHeight - log.clientHeight - fromBottom; }
  window.addEventListener('resize', keepPlace);
  // iOS Safari does not resize the layout for its keyboard: fit the page to what is visible.
  if (window.visualViewport) {
    window.visualViewport.addEventListener('resize', function () {
      if (Math.abs(window.visualViewport.scale - 1) > 0.01) return; // pinch zoom, not a keyboard
      document.body.style.height = window.visualViewport.height + 'px';
      window.scrollTo(0, 0);
      keepPlace();
    });
  }
  document.getElementById('menu').addEventListener('click', function () { send({ kind: 'choice', choiceId: 'cmd:menu', label: 'Menu' }, 'Menu'); });
  var close = document.getElementById('close');
  if (window.parent !== window) {
    close.hidden = false;
    close.addEventListener('click', function () { window.parent.postMessage('dvc-webchat:close', '*'); });
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') window.parent.postMessage('dvc-webchat:close', '*');
    });
  }

  var params = new URLSearchParams(location.search);
  var startPayload = params.get('start');
  if (startPayload !== null && window.history.replaceState) {
    params.delete('start');
    var q = params.toString();
    history.replaceState(null, '', location.pathname + (q ? '?' + q : '') + location.hash);
  }
  function listen() {
    if (!window.EventSource) return;
    var events = new EventSource(base + '/events');
    var opened = false;
    events.addEventListener('message', function (e) {
      try { JSON.parse(e.data).entries.forEach(addEntry); } catch (err) {}
    });
    // After a reconnect, fetch what was sent while the stream was down.
    events.addEventListener('open', function () {
      document.documentElement.setAttribute('data-live', '1');
      if (opened) sync().catch(function () {});
      opened = true;
    });
    events.addEventListener('error', function () { document.documentElement.removeAttribute('data-live'); });
  }
  sync().then(function (count) {
    if (count === 0 || startPayload) return send(startPayload ? { kind: 'start', text: startPayload } : { kind: 'start' });
  }, function () {
    return send({ kind: 'start' });
  }).then(listen);
  resize();
  if (finePointer) input.focus();
})();
`;

export function renderChatPage(options: ChatPageOptions): string {
  const unit = escapeHtml(options.unitName);
  const short = escapeHtml(options.shortName);
  const initials = escapeHtml(
    options.shortName
      .split(/\s+/)
      .filter((w) => /^[\p{L}\p{N}]/u.test(w))
      .slice(-2)
      .map((w) => w[0]?.toUpperCase() ?? '')
      .join('') || 'DV',
  );
  const nonce = escapeHtml(options.nonce);
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover, interactive-widget=resizes-content">
<meta name="theme-color" content="#0b5cad">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>Trợ lý dịch vụ công – ${short}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header>
  <div class="avatar" aria-hidden="true">${initials}</div>
  <div class="title">
    <h1>Trợ lý dịch vụ công</h1>
    <p>${unit}</p>
  </div>
  <button type="button" id="menu" aria-label="Về menu chính">☰ Menu</button>
  <button type="button" id="close" aria-label="Đóng cửa sổ trò chuyện" hidden>✕</button>
</header>
<main id="log" role="log" aria-live="polite" aria-label="Cuộc trò chuyện"></main>
<form id="composer" autocomplete="off">
  <label for="text" class="sr">Tin nhắn</label>
  <textarea id="text" rows="1" maxlength="2000" enterkeyhint="send" placeholder="Nhập câu hỏi của anh/chị…"></textarea>
  <span id="count" aria-live="polite"></span>
  <button type="submit" id="send" aria-label="Gửi" disabled>
    <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10.1 15 12 3.4 13.9z"/></svg>
  </button>
</form>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}
