import { escapeHtml, html, safeReturnTo, trusted } from './html.js';

describe('html', () => {
  it('escapes every interpolated value unless it is trusted, and renders nothing for null and booleans', () => {
    const name = '<img src=x onerror=alert(1)> & "quotes" \'';
    expect(html`<p title="${name}">${name}</p>`.value).toBe(
      '<p title="&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;">&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;</p>',
    );
    expect(html`${trusted('<b>ok</b>')}${null}${undefined}${false}${[html`<i>1</i>`, 2]}`.value).toBe('<b>ok</b><i>1</i>2');
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });
});

describe('safeReturnTo', () => {
  it.each([
    ['/courses/ai?x=1#l2', '/courses/ai?x=1#l2'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
    ['/a\u0000b', '/'],
    ['/sign-in?returnTo=/x', '/'],
    ['/sign-out', '/'],
    ['', '/'],
  ])('%j → %j', (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });
  it('falls back for values that are not strings or too long', () => {
    expect(safeReturnTo(['/a'])).toBe('/');
    expect(safeReturnTo(`/${'a'.repeat(3000)}`)).toBe('/');
  });
});
