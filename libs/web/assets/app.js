// Progressive enhancement for the learner pages. Everything works without this file; with it:
// the service worker (offline copies), the offline queue (lesson completion and quiz answers
// kept on the device and replayed with idempotency keys), the connection banner, copy/share.
const doc = document;
const data = JSON.parse(doc.getElementById('lms-messages')?.textContent || '{"m":{}}');
const M = data.m;
const plural = (key, n) => {
  const forms = M[key] || {};
  const sample = { one: 1, few: 2, other: 5 }[new Intl.PluralRules(data.lang).select(n)] || 5;
  return String(forms[sample] || forms[5] || '').replace(String(sample), new Intl.NumberFormat(data.lang).format(n));
};
const banner = doc.getElementById('net');
const say = (text) => { if (banner) banner.innerHTML = ''; if (banner && text) { const p = doc.createElement('p'); p.textContent = text; banner.append(p); } };
const csrf = () => doc.querySelector('meta[name="csrf-token"]')?.content || '';

// --- the queue: IndexedDB, one object per action, removed only once the server answered it ---
const DB = 'lms-offline';
const open = () => new Promise((resolve, reject) => {
  const r = indexedDB.open(DB, 1);
  r.onupgradeneeded = () => r.result.createObjectStore('queue', { keyPath: 'key' });
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});
const tx = async (mode, fn) => {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction('queue', mode);
    const result = fn(t.objectStore('queue'));
    t.oncomplete = () => { db.close(); resolve(result.result ?? result); };
    t.onerror = () => { db.close(); reject(t.error); };
  });
};
const queued = () => tx('readonly', (s) => s.getAll());
const enqueue = (action) => tx('readwrite', (s) => s.put(action));
const forget = (keys) => tx('readwrite', (s) => { keys.forEach((k) => s.delete(k)); return {}; });
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);

let syncing = false;
async function sync() {
  if (syncing || !navigator.onLine || !csrf()) return;
  syncing = true;
  try {
    const actions = (await queued()).sort((a, b) => a.seq - b.seq);
    if (!actions.length) return;
    say(plural('net.pending', actions.length));
    const body = { actions: actions.slice(0, 50).map(({ seq, ...a }) => a), lang: doc.documentElement.lang };
    const res = await fetch('/api/v1/me/sync', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf() }, body: JSON.stringify(body),
    });
    if (!res.ok) { say(plural('net.pending', actions.length)); return; }
    const { results } = await res.json();
    await forget(results.map((r) => r.key));
    const problems = results.filter((r) => r.status === 'conflict' || r.status === 'rejected');
    const done = results.length - problems.length;
    const lines = [done ? plural('net.synced', done) : '', ...problems.map((r) => String(M['net.conflict']).replace('{message}', r.message || r.code))];
    say(lines.filter(Boolean).join(' '));
    const quiz = results.find((r) => r.quiz);
    if (quiz && location.pathname.endsWith('/quiz')) location.reload();
    if ((await queued()).length) setTimeout(sync, 500);
  } catch {
    // The link dropped mid-sync: the queue is intact and is sent again later.
  } finally {
    syncing = false;
  }
}

// Forms that work offline: lesson completion and the quiz.
doc.addEventListener('submit', async (event) => {
  const form = event.target;
  if (form.matches('[data-sign-out]')) {
    const pending = (await queued().catch(() => [])).length;
    if (pending && !confirm(plural('signOut.pending', pending))) { event.preventDefault(); return; }
    try { for (const k of await caches.keys()) await caches.delete(k); indexedDB.deleteDatabase(DB); } catch { /* best effort; Clear-Site-Data follows */ }
    return;
  }
  const type = form.dataset.offline;
  if (!type) return;
  event.preventDefault();
  if (navigator.onLine) {
    // Online, but links drop: post in the background; keep the action on the device only if no
    // answer came. With an answer: a completed lesson goes where the server sent it; otherwise the
    // form is posted for real to show the server's page (the quiz's key makes that the same graded
    // attempt, not a second one).
    const res = await fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form)), credentials: 'same-origin' }).catch(() => null);
    if (res) {
      if (type === 'lesson.complete' && res.ok) location.assign(res.url);
      else form.submit();
      return;
    }
  }
  const base = { key: form.elements.key?.value || newKey(), seq: Date.now(), type, enrolmentId: form.dataset.enrolment, version: Number(form.dataset.version), at: new Date().toISOString() };
  if (type === 'lesson.complete') await enqueue({ ...base, lessonSlug: form.dataset.lesson });
  else {
    const answers = new Map();
    for (const input of form.querySelectorAll('input[data-question]')) {
      if (!answers.has(input.dataset.question)) answers.set(input.dataset.question, []);
      if (input.checked) answers.get(input.dataset.question).push(input.value);
    }
    await enqueue({ ...base, answers: [...answers].map(([questionId, choiceIds]) => ({ questionId, choiceIds })) });
  }
  const note = doc.createElement('p');
  note.className = 'notice ok';
  note.setAttribute('role', 'status');
  note.textContent = M[type === 'quiz.submit' ? 'quiz.savedOffline' : 'lesson.savedOffline'];
  form.replaceWith(note);
  const next = doc.querySelector('[data-next]');
  if (next) next.focus();
});

// Download for offline / remove, on the course page.
async function cacheSize(name) {
  const cache = await caches.open(name);
  let bytes = 0;
  for (const req of await cache.keys()) bytes += (await (await cache.match(req)).clone().blob()).size;
  return bytes;
}
const formatSize = (n) => new Intl.NumberFormat(data.lang, { style: 'unit', unit: n < 1048576 ? 'kilobyte' : 'megabyte', unitDisplay: 'short', maximumFractionDigits: n < 1048576 ? 0 : 1 }).format(n < 1048576 ? n / 1024 : n / 1048576);
async function setupOffline(box) {
  if (!('caches' in window) || !navigator.serviceWorker) return;
  box.hidden = false;
  const name = box.dataset.cache;
  const urls = JSON.parse(box.dataset.urls || '[]');
  const status = box.querySelector('[data-status]');
  const [get, remove] = [box.querySelector('[data-download]'), box.querySelector('[data-remove]')];
  const show = async () => {
    const has = (await caches.keys()).includes(name);
    get.hidden = has; remove.hidden = !has;
    status.textContent = has ? String(M['course.downloaded']).replace('{size}', formatSize(await cacheSize(name))) : '';
  };
  get.addEventListener('click', async () => {
    status.textContent = M['course.downloading'];
    try {
      const cache = await caches.open(name);
      const seen = new Set();
      for (const url of urls) {
        const res = await fetch(url, { credentials: 'same-origin' });
        if (!res.ok) throw new Error(String(res.status));
        await cache.put(url, res.clone());
        const page = new DOMParser().parseFromString(await res.text(), 'text/html');
        for (const img of page.querySelectorAll('main img[src]')) {
          const src = new URL(img.getAttribute('src'), location.href);
          if (src.origin !== location.origin || seen.has(src.href)) continue;
          seen.add(src.href);
          const r = await fetch(src.href, { credentials: 'same-origin' });
          if (r.ok) await cache.put(src.href, r);
        }
      }
      await show();
    } catch {
      await caches.delete(name);
      status.textContent = M['course.downloadFailed'];
    }
  });
  remove.addEventListener('click', async () => { await caches.delete(name); await show(); status.textContent = M['course.removed']; });
  await show();
}

// --- password strength: a hint while typing; the server applies the rules (length, common list) ---
const POOLS = [[/[a-z]/, 26], [/[A-Z]/, 26], [/[0-9]/, 10], [/[^a-zA-Z0-9]/, 33]];
export function strength(pw, email = '') {
  if (pw.length < 12) return 0;
  const pool = POOLS.reduce((n, [re, size]) => n + (re.test(pw) ? size : 0), 0) || 10;
  let bits = Math.log2(pool) * new Set(pw).size + Math.log2(pool) * (pw.length - new Set(pw).size) / 3;
  const local = email.split('@')[0].toLowerCase();
  if (local.length > 2 && pw.toLowerCase().includes(local)) bits -= 20;
  if (/(.)\1\1/.test(pw) || /(012|123|234|345|456|567|678|789|abc|qwe|asd)/i.test(pw)) bits -= 10;
  return bits < 45 ? 1 : bits < 65 ? 2 : bits < 85 ? 3 : 4;
}
function setupStrength(input) {
  const meter = doc.createElement('meter');
  Object.assign(meter, { min: 0, max: 4, low: 2, high: 3, optimum: 4, value: 0, id: `${input.id}-meter` });
  const label = doc.createElement('span');
  label.className = 'hint';
  label.setAttribute('aria-live', 'polite');
  meter.setAttribute('aria-label', M['password.strength']);
  input.after(meter, label);
  input.addEventListener('input', () => {
    const s = strength(input.value, input.dataset.email);
    meter.value = s;
    label.textContent = input.value ? `${M['password.strength']}: ${M[`password.strength.${s}`]}` : '';
  });
}

function setup() {
  doc.querySelector('[data-autofocus]')?.focus();
  for (const input of doc.querySelectorAll('input[data-strength]')) setupStrength(input);
  for (const box of doc.querySelectorAll('[data-offline-box]')) void setupOffline(box);
  for (const button of doc.querySelectorAll('[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const value = doc.getElementById(button.dataset.copy).value;
      if (navigator.share) { try { await navigator.share({ url: value }); return; } catch { /* fall back to copying */ } }
      await navigator.clipboard?.writeText(value);
      say(M['certs.copied']);
    });
  }
  if (navigator.serviceWorker && doc.querySelector('meta[name="csrf-token"]')) navigator.serviceWorker.register('/sw.js').catch(() => {});
  addEventListener('offline', () => say(M['net.offline']));
  addEventListener('online', () => { say(M['net.online']); void sync(); });
  if (!navigator.onLine) say(M['net.offline']);
  void sync();
}
setup();
