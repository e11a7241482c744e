import { scrubSecrets } from './audit-log.service.js';

describe('audit scrubbing', () => {
  it('removes passwords, hashes, tokens and secrets at any depth and keeps the rest', () => {
    const input = {
      email: 'a@b.rs',
      password: 'p',
      passwordHash: '$argon2id$…',
      newPassword: 'n',
      passwordSet: true,
      refreshToken: 'r',
      roles: [{ role: 'hr', accessToken: 't' }],
      nested: { clientSecret: 's', privateKey: 'k', keep: true, at: new Date('2026-01-02T03:04:05Z') },
    };
    expect(scrubSecrets(input)).toEqual({
      email: 'a@b.rs',
      passwordSet: true,
      roles: [{ role: 'hr' }],
      nested: { keep: true, at: '2026-01-02T03:04:05.000Z' },
    });
  });
});
