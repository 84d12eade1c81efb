// The portal side of embedding omnikpi: frames grow to the height each widget posts, and the
// channel picker sends filter messages. No inline script: the page runs under the strict CSP.
const frames = [...document.querySelectorAll('iframe[data-widget]')];
const log = document.getElementById('log');
const heights = {};

window.addEventListener('message', (e) => {
  // Trust only the dashboard's origin (same origin here) and only our own frames.
  if (e.origin !== window.location.origin) return;
  const frame = frames.find((f) => f.contentWindow === e.source);
  if (!frame || !e.data || e.data.type !== 'omnikpi:height') return;
  const h = Number(e.data.height);
  if (!Number.isFinite(h) || h <= 0 || h > 5000) return;
  frame.style.height = `${Math.ceil(h)}px`;
  heights[frame.dataset.widget] = Math.ceil(h);
  log.dataset.heights = JSON.stringify(heights);
  log.textContent = `heights: ${Object.entries(heights).map(([k, v]) => `${k} ${v}px`).join(', ')}`;
});

document.getElementById('channel').addEventListener('change', (e) => {
  const v = e.target.value;
  const msg = { type: 'omnikpi:filter', filters: { channel: v ? [v] : null } };
  for (const f of frames) f.contentWindow.postMessage(msg, window.location.origin);
});
