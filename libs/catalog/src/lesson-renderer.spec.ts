import { renderLessonHtml } from './lesson-renderer.js';

describe('renderLessonHtml', () => {
  it('renders ordinary lesson Markdown: headings, lists, tables, links', () => {
    const html = renderLessonHtml('## Why\n\n- **one**\n- two\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n[Open data](https://data.gov.rs/)');
    expect(html).toContain('<h2>Why</h2>');
    expect(html).toContain('<li><strong>one</strong></li>');
    expect(html).toContain('<td style="text-align:right">2</td>');
    expect(html).toContain('<a href="https://data.gov.rs/" rel="noopener noreferrer nofollow">Open data</a>');
  });

  it('never lets hostile input through: scripts, event handlers, javascript: and data: links', () => {
    const hostile = [
      '<script>alert(1)</script>',
      '<img src=x onerror="alert(2)">',
      '<a href="javascript:alert(3)">raw</a>',
      '[md link](javascript:alert(4))',
      '[encoded](jav&#x61;script:alert(5))',
      '[upper](JAVASCRIPT:alert(6))',
      '![img](javascript:alert(7))',
      '![data](data:text/html;base64,PHNjcmlwdD5hbGVydCg4KTwvc2NyaXB0Pg==)',
      '<iframe src="https://evil.example"></iframe>',
      '<div style="background:url(javascript:alert(9))" onclick="alert(10)">x</div>',
      '<svg onload=alert(11)>',
      '[vb](vbscript:msgbox(12))',
    ].join('\n\n');
    const html = renderLessonHtml(hostile);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<iframe|<svg|<div/i);
    // No tag carries an event handler or a script URL (escaped text may still mention them).
    expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
    expect(html).not.toMatch(/<[^>]*\s(href|src)\s*=\s*"?\s*(javascript|vbscript|data):/i);
    expect(html).not.toMatch(/<[^>]*\sstyle="[^"]*url\(/i);
    // Raw HTML shows as text (escaped), it is not interpreted.
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
