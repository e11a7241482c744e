import { escapeHtml, renderVerificationNotFoundPage, renderVerificationPage, VerificationResult } from './verification-page.js';

const result: VerificationResult = {
  status: 'revoked',
  serial: 'LMS-2026-000001',
  holder: { name: '<b>"Ana" & \'Bob\'</b>' },
  holderErased: false,
  course: { slug: 's', version: 1, title: '</title><script>x()</script>', school: 'School', competencies: [{ code: 'A<1>', level: 2 }] },
  issuedAt: '2026-01-02T00:00:00.000Z',
  expiresAt: null,
  revokedAt: '2026-03-04T00:00:00.000Z',
  locale: 'en',
  result: null,
};

describe('verification page', () => {
  it('escapes the five HTML-significant characters', async () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('escapes every value and uses no scripts or external assets', async () => {
    const html = renderVerificationPage(result);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;b&gt;&quot;Ana&quot; &amp; &#39;Bob&#39;&lt;/b&gt;');
    expect(html).toContain('A&lt;1&gt;');
    expect(html).not.toMatch(/\b(src|href)=/);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('role="status"');
    expect(html).toContain('Revoked');
    expect(html).toContain('does not expire');
  });

  it('says the name is withheld once the holder’s personal data was erased, in the certificate’s language', async () => {
    const erased = renderVerificationPage({ ...result, holder: { name: null }, holderErased: true, locale: 'sr-Cyrl' });
    expect(erased).not.toContain('Ana');
    expect(erased).toContain('лични подаци имаоца обрисани');
  });

  it('shows the course result when the certificate carries one, in the holder language', async () => {
    expect(renderVerificationPage(result)).not.toContain('Result');
    const packaged = renderVerificationPage({ ...result, result: { score: 80, passed: true, source: 'package' } });
    expect(packaged).toContain('<dt>Result</dt><dd>80% (packaged lessons, passed)</dd>');
    const mk = renderVerificationPage({ ...result, locale: 'mk', result: { score: 90, passed: null, source: 'quiz' } });
    expect(mk).toContain('<dt>Резултат</dt><dd>90% (завршен тест)</dd>');
  });

  it('labels the page in the holder language', async () => {
    expect(renderVerificationPage({ ...result, status: 'valid', revokedAt: null, locale: 'sr-Cyrl' })).toContain('Важећи');
    expect(renderVerificationNotFoundPage()).toContain('No certificate has this verification code.');
    const mk = renderVerificationPage({ ...result, status: 'valid', revokedAt: null, locale: 'mk' });
    expect(mk).toContain('<html lang="mk">');
    expect(mk).toContain('Важечки');
    expect(mk).toContain('без рок на важење');
    // A Croatian holder reads the Serbian Latin page; an unknown language the English one.
    expect(renderVerificationPage({ ...result, status: 'valid', revokedAt: null, locale: 'hr' })).toContain('<html lang="sr-Latn">');
    expect(renderVerificationPage({ ...result, status: 'valid', revokedAt: null, locale: 'de' })).toContain('<html lang="en">');
  });
});
