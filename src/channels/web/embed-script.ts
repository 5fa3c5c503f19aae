/**
 * @module The embed script: a ward's site adds the chat with one tag,
 *   <script src="https://<host>/webchat/embed.js" async></script>
 * and gets a floating button that opens the chat page in an iframe (full screen on phones, a
 * panel on wider screens). The page's origin is taken from the script's own URL, so the same
 * file works behind any host or path prefix. Optional attributes on the tag:
 * `data-label` (button text) and `data-start` (a procedure id to open the chat on).
 */
const SCRIPT = `(function () {
  'use strict';
  if (window.__dvcWebchat) return;
  window.__dvcWebchat = true;
  var script = document.currentScript;
  if (!script || !script.src) return;
  var pageUrl = new URL('../', script.src);
  var start = script.getAttribute('data-start');
  if (start && /^[A-Za-z0-9_-]{1,64}$/.test(start)) pageUrl.searchParams.set('start', start);
  var label = script.getAttribute('data-label') || 'Hỏi thủ tục hành chính';
  var frame = null, panel = null, open = false;

  function css(node, styles) { for (var k in styles) node.style[k] = styles[k]; }
  function small() { return window.innerWidth < 600; }
  function place() {
    if (!panel) return;
    if (small()) css(panel, { left: '0', top: '0', right: '0', bottom: '0', width: '100%', height: '100%', borderRadius: '0' });
    else css(panel, { left: 'auto', top: 'auto', right: '20px', bottom: '88px', width: '380px', height: 'min(640px, calc(100vh - 110px))', borderRadius: '14px' });
  }
  var button = document.createElement('button');
  button.type = 'button';
  button.textContent = '💬 ' + label;
  button.setAttribute('aria-haspopup', 'dialog');
  button.setAttribute('aria-expanded', 'false');
  css(button, { position: 'fixed', right: '20px', bottom: '20px', zIndex: '2147483646', background: '#0b5cad', color: '#fff',
    border: '0', borderRadius: '28px', padding: '14px 20px', font: '600 16px/1.2 system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif',
    boxShadow: '0 4px 14px rgba(0,0,0,.25)', cursor: 'pointer' });

  function toggle(show) {
    open = show;
    if (show && !panel) {
      panel = document.createElement('div');
      panel.setAttribute('role', 'dialog');
      panel.setAttribute('aria-label', label);
      css(panel, { position: 'fixed', zIndex: '2147483647', overflow: 'hidden', background: '#fff', boxShadow: '0 8px 30px rgba(0,0,0,.3)' });
      frame = document.createElement('iframe');
      frame.src = pageUrl.href;
      frame.title = 'Trợ lý dịch vụ công';
      frame.setAttribute('allow', 'clipboard-write');
      css(frame, { border: '0', width: '100%', height: '100%', display: 'block' });
      panel.appendChild(frame);
      document.body.appendChild(panel);
      place();
    }
    if (panel) panel.style.display = show ? 'block' : 'none';
    button.style.display = show && small() ? 'none' : 'block';
    button.textContent = show ? '✕ Đóng' : '💬 ' + label;
    button.setAttribute('aria-expanded', show ? 'true' : 'false');
    // Focus follows the panel: into the chat when it opens, back to the button when it closes
    // (it would otherwise stay in a hidden frame).
    if (show && frame) frame.focus(); else if (!show) button.focus();
  }
  button.addEventListener('click', function () { toggle(!open); });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape' && open) toggle(false); });
  window.addEventListener('resize', function () { place(); if (open) button.style.display = small() ? 'none' : 'block'; });
  window.addEventListener('message', function (e) {
    if (e.origin === pageUrl.origin && e.data === 'dvc-webchat:close' && open) toggle(false);
  });
  function mount() { document.body.appendChild(button); }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
`;

export function renderEmbedScript(): string {
  return SCRIPT;
}
