// The SCORM player of a packaged lesson (docs/interop.md). The page holds the runtime API
// (scorm-again: window.API for SCORM 1.2, window.API_1484_11 for 2004) that the SCO in the frame
// finds in its parent; every commit goes to the server with the next sequence number and is
// retried with the same number when the link drops, so the server applies it once.
(() => {
  'use strict';
  const el = document.querySelector('[data-scorm-player]');
  if (!el || !window.Scorm12API) return;
  const frame = el.querySelector('iframe');
  const { enrolment, sco, version, launch } = el.dataset;
  const base = `/api/v1/enrolments/${encodeURIComponent(enrolment)}/scorm/${encodeURIComponent(sco)}`;
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || '';
  let sequence = 0;
  let queue = Promise.resolve();
  const wait = (ms) => new Promise((r) => setTimeout(r, ms));

  async function post(body) {
    for (let attempt = 0; attempt < 6; attempt++) {
      try {
        const res = await fetch(`${base}/commit`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body });
        if (res.ok) {
          const state = await res.json();
          el.dataset.completed = String(state.lessonCompleted);
          el.dispatchEvent(new CustomEvent('scorm:committed', { detail: state }));
          return;
        }
        if (res.status < 500) return; // refused for good: retrying will not help
      } catch {
        // the link dropped: retry the same sequence
      }
      await wait(400 * 2 ** attempt);
    }
  }

  // SCORM 2004 navigation (a subset of simple sequencing, docs/interop.md): a request the SCO
  // leaves in adl.nav.request is carried out when it terminates, once its data is stored —
  // continue/previous follow the lesson pager (flow), {target=<item>}choice the package's table
  // of contents, exit/exitAll/suspendAll go back to the course page.
  let navRequest = '_none_';
  function navigate() {
    const request = navRequest;
    navRequest = '_none_';
    let target = null;
    const choice = /^\{target=([^}]+)\}(choice|jump)$/.exec(request);
    if (request === 'continue') target = document.querySelector('.pager a[rel="next"]');
    else if (request === 'previous') target = document.querySelector('.pager a[rel="prev"]');
    else if (choice) target = Array.from(document.querySelectorAll('[data-package-toc] a[data-item]')).find((a) => a.dataset.item === choice[1]) || null;
    else if (request === 'exit' || request === 'exitAll' || request === 'suspendAll') return void window.location.assign(el.dataset.course);
    if (target) window.location.assign(target.href);
  }

  function commit(api) {
    sequence += 1;
    const body = JSON.stringify({ sequence, cmi: api.renderCMIToJSONObject().cmi });
    queue = queue.then(() => post(body));
    return queue;
  }

  fetch(base, { credentials: 'same-origin' })
    .then((res) => (res.ok ? res.json() : Promise.reject(new Error(String(res.status)))))
    .then((state) => {
      sequence = state.sequence;
      const settings = { autocommit: false, lmsCommitUrl: false, logLevel: 5 };
      const api = version === '1.2' ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);
      if (state.cmi && Object.keys(state.cmi).length) api.loadFromJSON(state.cmi, '');
      const events = version === '1.2' ? ['LMSCommit', 'LMSFinish'] : ['Commit', 'Terminate'];
      for (const name of events) api.on(name, () => commit(api));
      if (version !== '1.2') {
        api.on('SetValue.adl.nav.request', (_element, value) => {
          navRequest = String(value);
        });
        api.on('Terminate', () => queue.then(navigate));
      }
      if (version === '1.2') window.API = api;
      else window.API_1484_11 = api;
      frame.src = launch;
    })
    .catch(() => {
      el.dataset.error = 'true';
    });
})();
