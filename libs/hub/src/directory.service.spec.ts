import { normaliseTag } from './directory.service.js';

describe('directory expertise tags', () => {
  it('stores tags trimmed, in lower case, with single spaces', () => {
    expect(normaliseTag('  AI   in Local Government ')).toBe('ai in local government');
    expect(normaliseTag('C#')).toBe('c#');
    expect(normaliseTag('Javna nabavka')).toBe('javna nabavka');
    expect(normaliseTag('Јавна набавка')).toBe('јавна набавка');
  });

  it('refuses markup, control characters, empty and overlong tags', () => {
    for (const bad of ['<script>', '', '   ', 'a\u0000b', 'x'.repeat(51), '-leading', 42, null]) expect(normaliseTag(bad)).toBeNull();
  });
});
