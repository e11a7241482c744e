/**
 * A course folder in the curricula-as-code format (courses/<slug>/…), in English and Serbian in
 * both scripts, as an author would zip it. `broken`: three mistakes whose places the tests know —
 * course.yaml line 14 `level`, the Cyrillic lesson 2's front matter line 3 `minutes`, and a quiz
 * question without a correct choice (quiz.yaml line 11, `questions[1].choices`).
 */
export function courseFolder(slug: string, school: string, options: { broken?: boolean } = {}): Record<string, string> {
  const broken = options.broken === true;
  const course = `slug: ${slug}
school: ${school}
defaultLanguage: en
languages: [en, sr-Latn, sr-Cyrl]
title:
  en: "Open data at work"
  sr-Latn: "Otvoreni podaci u praksi"
  sr-Cyrl: "Отворени подаци у пракси"
summary:
  en: "Publishing datasets that people can use."
  sr-Latn: "Objavljivanje skupova podataka koje ljudi mogu da koriste."
  sr-Cyrl: "Објављивање скупова података које људи могу да користе."
audience: all-staff
level: ${broken ? 'expert' : 'foundation'}
estimatedMinutes: 25
framework: dacps
competencies:
  - { code: DAT.2, level: 1 }
lessons:
  - why-open-data
  - publishing
completion:
  quiz: { passMark: 70, attemptsAllowed: 3 }
`;
  const quiz = `questions:
  - id: q1
    type: single
    text: { en: "Which format is open?", sr-Latn: "Koji format je otvoren?", sr-Cyrl: "Који формат је отворен?" }
    choices:
      - { id: a, text: { en: "CSV", sr-Latn: "CSV", sr-Cyrl: "CSV" }, correct: true }
      - { id: b, text: { en: "A scanned PDF", sr-Latn: "Skenirani PDF", sr-Cyrl: "Скенирани PDF" } }
  - id: q2
    type: single
    text: { en: "Who may reuse open data?", sr-Latn: "Ko sme da koristi otvorene podatke?", sr-Cyrl: "Ко сме да користи отворене податке?" }
    choices:
      - { id: a, text: { en: "Anyone", sr-Latn: "Svako", sr-Cyrl: "Свако" }${broken ? '' : ', correct: true'} }
      - { id: b, text: { en: "Only ministries", sr-Latn: "Samo ministarstva", sr-Cyrl: "Само министарства" } }
`;
  const lesson = (title: string, minutes: string, body: string): string => `---\ntitle: "${title}"\nminutes: ${minutes}\nrequired: true\n---\n${body}\n`;
  const p = `courses/${slug}`;
  return {
    [`${p}/course.yaml`]: course,
    [`${p}/quiz.yaml`]: quiz,
    [`${p}/lessons/en/01-why-open-data.md`]: lesson('Why open data', '10', '## Why publish\n\nPeople build services on public data.'),
    [`${p}/lessons/en/02-publishing.md`]: lesson('Publishing', '15', '## How to publish\n\nUse an open format and a licence.\n\n| Format | Open |\n|---|---|\n| CSV | yes |\n| Scanned PDF | no |'),
    [`${p}/lessons/sr-Latn/01-why-open-data.md`]: lesson('Zašto otvoreni podaci', '10', '## Zašto objavljivati\n\nLjudi grade usluge na javnim podacima.'),
    [`${p}/lessons/sr-Latn/02-publishing.md`]: lesson('Objavljivanje', '15', '## Kako objaviti\n\nKoristite otvoreni format i licencu.'),
    [`${p}/lessons/sr-Cyrl/01-why-open-data.md`]: lesson('Зашто отворени подаци', '10', '## Зашто објављивати\n\nЉуди граде услуге на јавним подацима.'),
    [`${p}/lessons/sr-Cyrl/02-publishing.md`]: lesson('Објављивање', broken ? 'ten' : '15', '## Како објавити\n\nКористите отворени формат и лиценцу.'),
  };
}

/** The interop tests' zip builder (symlink entries on request). */
export { zip as zipOf } from '../interop/fixtures.js';
