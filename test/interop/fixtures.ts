import { strToU8, zipSync, type Zippable } from 'fflate';

/**
 * Small original SCORM 1.2, SCORM 2004 (4th edition, two SCOs) and cmi5 packages, written at test
 * time (no third-party content). The SCOs are tiny pages that talk to the runtime API the player
 * provides (API for 1.2, API_1484_11 for 2004) or, for cmi5, only show their launch parameters.
 */
export type Files = Record<string, string | Uint8Array>;

export function zip(files: Files, options: { symlinks?: string[]; level?: 0 | 9 } = {}): Buffer {
  const entries: Zippable = {};
  for (const [name, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? strToU8(content) : content;
    entries[name] = options.symlinks?.includes(name) ? [data, { os: 3, attrs: (0o120777 << 16) >>> 0 }] : [data, { level: options.level ?? 6 }];
  }
  return Buffer.from(zipSync(entries));
}

const page = (title: string, script: string): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p id="status">loading</p><script src="sco.js"></script><script>${script}</script></body></html>`;

/** SCORM 1.2: one SCO that initialises, records a score and completion, and finishes. */
export function scorm12Files(): Files {
  return {
    'imsmanifest.xml': `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="lms.test.scorm12" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org1">
    <organization identifier="org1">
      <title>Records management basics</title>
      <item identifier="item1" identifierref="res1" parameters="?lang=en">
        <title>What a record is</title>
        <adlcp:masteryscore>80</adlcp:masteryscore>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res1" type="webcontent" adlcp:scormtype="sco" href="index.html">
      <file href="index.html"/><file href="sco.js"/>
    </resource>
  </resources>
</manifest>`,
    'index.html': page('What a record is', 'window.lmsTestSco && window.lmsTestSco("1.2");'),
    // First visit: starts, saves where it is and commits, then stops (the learner leaves).
    // Next visit: resumes from suspend_data and location, scores 90, passes and finishes.
    'sco.js': `window.lmsTestSco = function () {
  var status = document.getElementById('status');
  var w = window.parent, api = null;
  for (var i = 0; i < 10 && w; i++) { if (w.API) { api = w.API; break; } if (w.parent === w) break; w = w.parent; }
  if (!api) { status.textContent = 'no API'; return; }
  api.LMSInitialize('');
  var saved = api.LMSGetValue('cmi.suspend_data');
  if (!saved) {
    api.LMSSetValue('cmi.core.lesson_location', 'page-1');
    api.LMSSetValue('cmi.suspend_data', 'visited=1');
    api.LMSSetValue('cmi.core.lesson_status', 'incomplete');
    api.LMSCommit('');
    status.textContent = 'started';
  } else {
    status.textContent = 'resumed ' + saved + ' at ' + api.LMSGetValue('cmi.core.lesson_location');
    api.LMSSetValue('cmi.core.score.raw', '90');
    api.LMSSetValue('cmi.core.lesson_status', 'passed');
    api.LMSCommit('');
    api.LMSFinish('');
  }
};`,
  };
}

const page2004 = (title: string, part: 'one' | 'two'): string =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1><p id="status">loading</p><p><button type="button" id="next" hidden></button></p></main><script src="../sco2004.js"></script><script>window.lmsTestSco2004 && window.lmsTestSco2004('${part}');</script></body></html>`;

/**
 * The two SCOs of the SCORM 2004 fixture. Part one: the first visit saves where it is
 * (cmi.location, cmi.suspend_data, exit suspend) and commits, then the learner leaves; the next
 * visit resumes and offers "Finish and continue", which records completed, passed, score 0.9 and
 * asks for the next SCO (adl.nav.request continue) as it terminates. Part two completes and
 * passes with 0.8 at once and offers "Back to part one" (a choice request for item part1).
 */
const sco2004 = `window.lmsTestSco2004 = function (part) {
  var status = document.getElementById('status'), button = document.getElementById('next');
  var w = window.parent, api = null;
  for (var i = 0; i < 10 && w; i++) { if (w.API_1484_11) { api = w.API_1484_11; break; } if (w.parent === w) break; w = w.parent; }
  if (!api) { status.textContent = 'no API'; return; }
  api.Initialize('');
  var offer = function (label, request, before) {
    button.textContent = label; button.hidden = false;
    button.onclick = function () { if (before) before(); api.SetValue('adl.nav.request', request); api.Terminate(''); status.textContent = 'terminated'; };
  };
  if (part === 'one') {
    var saved = api.GetValue('cmi.suspend_data');
    if (!saved) {
      api.SetValue('cmi.location', 'page-1');
      api.SetValue('cmi.suspend_data', 'visited=1');
      api.SetValue('cmi.completion_status', 'incomplete');
      api.SetValue('cmi.exit', 'suspend');
      api.Commit('');
      status.textContent = 'started';
    } else {
      status.textContent = 'resumed ' + saved + ' at ' + api.GetValue('cmi.location');
      offer('Finish and continue', 'continue', function () {
        api.SetValue('cmi.score.scaled', '0.9');
        api.SetValue('cmi.success_status', 'passed');
        api.SetValue('cmi.completion_status', 'completed');
        api.SetValue('cmi.exit', 'normal');
      });
    }
  } else {
    if (api.GetValue('cmi.completion_status') === 'completed') status.textContent = 'reviewed';
    else {
      api.SetValue('cmi.score.scaled', '0.8');
      api.SetValue('cmi.success_status', 'passed');
      api.SetValue('cmi.completion_status', 'completed');
      api.Commit('');
      status.textContent = 'completed';
    }
    offer('Back to part one', '{target=part1}choice');
  }
};`;

/** SCORM 2004 4th edition: two SCOs in one organization (flow and choice navigation between them). */
export function scorm2004Files(edition: '3rd' | '4th' = '4th'): Files {
  return {
    'imsmanifest.xml': `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="lms.test.scorm2004" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 ${edition} Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>Open data in practice</title>
      <item identifier="part1" identifierref="sco1"><title>Finding data</title></item>
      <item identifier="part2" identifierref="sco2"><title>Publishing data</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="sco1" type="webcontent" adlcp:scormType="sco" href="one/index.html"><file href="one/index.html"/><dependency identifierref="common"/></resource>
    <resource identifier="sco2" type="webcontent" adlcp:scormType="sco" href="two/index.html"><file href="two/index.html"/><dependency identifierref="common"/></resource>
    <resource identifier="common" type="webcontent" adlcp:scormType="asset"><file href="sco2004.js"/></resource>
  </resources>
</manifest>`,
    'one/index.html': page2004('Finding data', 'one'),
    'two/index.html': page2004('Publishing data', 'two'),
    'sco2004.js': sco2004,
  };
}

/**
 * The cmi5 AU of the fixture (cmi5 sections 8–9): it reads its launch parameters, fetches its
 * auth token once, reads LMS.LaunchData, sends `initialized`, and keeps a bookmark in a State
 * document of its own. First session: saves the bookmark and stops (the learner leaves). A later
 * session resumes at the bookmark and offers "Finish the lesson": completed, passed (0.8),
 * terminated, then back to the LMS's returnURL.
 */
const au = `(function () {
  var q = new URLSearchParams(location.search);
  var status = document.getElementById('status'), button = document.getElementById('finish');
  var endpoint = q.get('endpoint'), actor = JSON.parse(q.get('actor') || 'null'), registration = q.get('registration'), activityId = q.get('activityId');
  var auth = '', launchData = null, started = Date.now();
  function xapi(path, options) {
    options = options || {};
    options.credentials = 'omit';
    options.headers = Object.assign({ 'X-Experience-API-Version': '1.0.3', Authorization: auth }, options.headers || {});
    return fetch(endpoint + path, options);
  }
  function state(id) { return 'activities/state?' + new URLSearchParams({ activityId: activityId, agent: JSON.stringify(actor), registration: registration, stateId: id }); }
  function send(verb, result) {
    var context = JSON.parse(JSON.stringify(launchData.contextTemplate));
    context.registration = registration;
    var statement = { actor: actor, verb: { id: 'http://adlnet.gov/expapi/verbs/' + verb, display: { 'en-US': verb } }, object: { objectType: 'Activity', id: activityId }, context: context, timestamp: new Date().toISOString() };
    if (result) statement.result = result;
    return xapi('statements', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(statement) }).then(function (r) { if (!r.ok) throw new Error(verb + ' ' + r.status); });
  }
  fetch(q.get('fetch'), { method: 'POST', credentials: 'omit' })
    .then(function (r) { return r.json(); })
    .then(function (body) {
      if (!body['auth-token']) throw new Error('fetch ' + body['error-code']);
      auth = 'Basic ' + body['auth-token'];
      return xapi(state('LMS.LaunchData')).then(function (r) { return r.json(); });
    })
    .then(function (data) { launchData = data; return send('initialized'); })
    .then(function () { return xapi(state('bookmark')); })
    .then(function (r) { return r.status === 200 ? r.text() : ''; })
    .then(function (bookmark) {
      if (!bookmark) {
        return xapi(state('bookmark'), { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: 'page-2' }).then(function (r) {
          if (!r.ok) throw new Error('bookmark ' + r.status);
          status.textContent = 'started';
        });
      }
      status.textContent = 'resumed at ' + bookmark;
      button.hidden = false;
      button.onclick = function () {
        button.disabled = true;
        var duration = 'PT' + Math.max(1, Math.round((Date.now() - started) / 1000)) + 'S';
        send('completed', { completion: true, duration: duration })
          .then(function () { return send('passed', { success: true, score: { scaled: 0.8 }, duration: duration }); })
          .then(function () { return send('terminated', { duration: duration }); })
          .then(function () { location.assign(launchData.returnURL); })
          .catch(function (e) { status.textContent = 'error ' + e.message; });
      };
    })
    .catch(function (e) { status.textContent = 'error ' + e.message; });
})();`;

/** cmi5: one AU in a block, with moveOn and a mastery score. */
export function cmi5Files(): Files {
  return {
    'cmi5.xml': `<?xml version="1.0" encoding="UTF-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://lms.test/cmi5/courses/ethics">
    <title><langstring lang="en-US">AI ethics for managers</langstring></title>
    <description><langstring lang="en-US">A short course.</langstring></description>
  </course>
  <block id="https://lms.test/cmi5/blocks/b1">
    <title><langstring lang="en-US">Part one</langstring></title>
    <description><langstring lang="en-US">Basics</langstring></description>
    <au id="https://lms.test/cmi5/aus/au1" moveOn="CompletedAndPassed" masteryScore="0.7" launchMethod="AnyWindow">
      <title><langstring lang="en-US">Fairness</langstring></title>
      <description><langstring lang="en-US">Bias and fairness</langstring></description>
      <url>au1/index.html</url>
    </au>
  </block>
</courseStructure>`,
    'au1/index.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fairness</title></head><body><main><h1>Fairness</h1><p id="status">loading</p><p><button type="button" id="finish" hidden>Finish the lesson</button></p></main><script src="au.js"></script></body></html>`,
    'au1/au.js': au,
  };
}

/** A course draft (authoring API JSON) of the SPA school with one native lesson and a one-question quiz. */
export function aCourse(slug: string): Record<string, unknown> {
  return {
    course: {
      slug,
      school: 'SPA',
      defaultLanguage: 'en',
      languages: ['en', 'sr-Latn'],
      title: { en: 'Records in practice', 'sr-Latn': 'Evidencije u praksi' },
      summary: { en: 'Packaged lessons.', 'sr-Latn': 'Upakovane lekcije.' },
      audience: 'specialists',
      level: 'intermediate',
      estimatedMinutes: 60,
      framework: 'dacps',
      competencies: [{ code: 'DAT.2', level: 2 }],
      completion: { quiz: { passMark: 50, attemptsAllowed: 2 } },
    },
    lessons: [{ slug: 'intro', title: { en: 'Intro', 'sr-Latn': 'Uvod' }, minutes: 10, body: { en: '## Intro', 'sr-Latn': '## Uvod' } }],
    quiz: {
      questions: [
        {
          id: 'q1',
          type: 'single',
          text: { en: 'Keep records?', 'sr-Latn': 'Čuvati evidencije?' },
          choices: [
            { id: 'a', text: { en: 'Yes', 'sr-Latn': 'Da' }, correct: true },
            { id: 'b', text: { en: 'No', 'sr-Latn': 'Ne' } },
          ],
        },
      ],
    },
  };
}
