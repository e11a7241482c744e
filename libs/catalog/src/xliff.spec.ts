import { validateCoursesDir } from './package/package-validator.js';
import { courseUnits, type CourseTexts, exportXliff, markdownParts, parseXliff, translatedTexts, withLanguage, XliffProblem } from './xliff.js';

function textsOf(slug: string): CourseTexts {
  const report = validateCoursesDir('courses');
  const pkg = report.packages.find((p) => p.slug === slug)!;
  return { slug, version: 3, title: pkg.title, summary: pkg.summary, lessons: pkg.lessons.map((l) => ({ slug: l.slug, title: l.title, body: l.body })), quiz: pkg.quiz };
}

/** Fills every <target> the way a translator's tool would: after each <source>, from a function of the source. */
function fill(xml: string, translate: (source: string) => string): string {
  return xml.replace(/<segment id="(s\d+)" state="initial"><source>([\s\S]*?)<\/source><\/segment>/g, (_m, id: string, src: string) => {
    return `<segment id="${id}" state="translated"><source>${src}</source><target>${translate(src)}</target></segment>`;
  });
}

describe('XLIFF 2.0', () => {
  const texts = textsOf('ai-fundamentals');

  it('segments Markdown by block and puts it back together byte for byte', () => {
    const md = '## Heading\n\nFirst paragraph\nstill first.\n\n\n- a\n- b\n\n```js\nconst x = 1;\n\nconst y = 2;\n```\n\nLast.\n';
    const parts = markdownParts(md);
    expect(parts.map((p) => p.text).join('')).toBe(md);
    expect(parts.filter((p) => p.kind === 'segment').map((p) => p.text)).toEqual(['## Heading', 'First paragraph\nstill first.', '- a\n- b', 'Last.']);
    for (const l of texts.lessons) expect(markdownParts(l.body.en).map((p) => p.text).join('')).toBe(l.body.en);
  });

  it('round trip: export → fill targets → import gives the identical course text in the new language', () => {
    const xml = exportXliff(texts, 'en', 'hr');
    expect(xml).toContain('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0"');
    expect(xml).toContain('srcLang="en" trgLang="hr"');
    const parsed = parseXliff(fill(xml, (s) => s));
    expect(parsed).toMatchObject({ slug: 'ai-fundamentals', version: 3, source: 'en', target: 'hr' });
    const result = withLanguage(texts, 'hr', translatedTexts(texts, parsed));
    expect(courseUnits(result, 'hr')).toEqual(courseUnits(texts, 'en'));
    expect(result.lessons.map((l) => l.body.hr)).toEqual(texts.lessons.map((l) => l.body.en));
    expect(result.quiz!.questions.map((q) => q.choices.map((c) => c.text.hr))).toEqual(texts.quiz!.questions.map((q) => q.choices.map((c) => c.text.en)));
  });

  it('keeps characters XML must escape and prefills targets the course already has', () => {
    const tricky: CourseTexts = { ...texts, title: { en: 'A <b> & "q" \'s', 'sr-Latn': 'Š <i>' } };
    const xml = exportXliff(tricky, 'en', 'sr-Latn');
    expect(xml).toContain('<segment id="s1" state="translated"><source>A &lt;b&gt; &amp; &quot;q&quot; &apos;s</source><target>Š &lt;i&gt;</target></segment>');
    const back = translatedTexts(tricky, parseXliff(xml));
    expect(back.get('course.title')).toBe('Š <i>');
  });

  it.each([
    ['not XML', 'hello', 'line 1'],
    ['a DOCTYPE', '<!DOCTYPE x [<!ENTITY a "b">]><xliff/>', 'DOCTYPE'],
    ['another root', '<?xml version="1.0"?><html/>', '/'],
    ['XLIFF 1.2', '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>', '/xliff/@version'],
    ['a bad target language', '<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="x_y"/>', '/xliff/@trgLang'],
  ])('rejects %s naming the element', (_what, xml, element) => {
    expect(() => parseXliff(xml)).toThrow(XliffProblem);
    try {
      parseXliff(xml);
    } catch (e) {
      expect((e as XliffProblem).element).toBe(element);
    }
  });

  it('rejects tampered files naming the unit and segment', () => {
    const xml = fill(exportXliff(texts, 'en', 'hr'), (s) => `[hr] ${s}`);
    const cases: Array<[string, string]> = [
      [xml.replace('What AI is', 'What AI was'), "/xliff/file/unit[@id='lessons.what-ai-is.title']/segment[@id='s1']/source"],
      [xml.replace(/<target>[^<]*<\/target>/, ''), "/xliff/file/unit[@id='course.title']/segment[@id='s1']/target"],
      [xml.replace('unit id="course.summary"', 'unit id="course.motto"'), "/xliff/file/unit[@id='course.motto']"],
      [xml.replace('<target>[hr] ', '<target><pc id="1">x</pc>'), "/xliff/file/unit[@id='course.title']/segment[@id='s1']/target/pc"],
      [xml.replace('versions/3', 'versions/three'), '/xliff/file/@original'],
    ];
    for (const [bad, element] of cases) {
      let problem: XliffProblem | undefined;
      try {
        translatedTexts(texts, parseXliff(bad));
      } catch (e) {
        problem = e as XliffProblem;
      }
      expect(problem?.element).toBe(element);
    }
  });
});
