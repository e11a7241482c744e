import { normalisePeerUrl, parseFederationPeers } from './federation-peers-config.js';

const THUMB = 'a'.repeat(43);

describe('FEDERATION_PEERS', () => {
  it('is empty when unset', () => {
    expect(parseFederationPeers(undefined)).toEqual([]);
    expect(parseFederationPeers('  ')).toEqual([]);
  });

  it('reads peers pinned by thumbprint or by JWK, URLs without a trailing slash', () => {
    const peers = parseFederationPeers(
      JSON.stringify([
        { url: 'https://lms.example.me/', keyThumbprint: THUMB },
        { url: 'http://127.0.0.1:4000', jwk: { kty: 'OKP', crv: 'Ed25519', x: 'b'.repeat(43) } },
      ]),
    );
    expect(peers).toEqual([
      { url: 'https://lms.example.me', keyThumbprint: THUMB, jwk: null },
      { url: 'http://127.0.0.1:4000', keyThumbprint: null, jwk: { kty: 'OKP', crv: 'Ed25519', x: 'b'.repeat(43) } },
    ]);
  });

  it.each([
    ['not json', /JSON array/],
    ['{}', /JSON array/],
    ['[1]', /\[0\] must be an object/],
    [JSON.stringify([{ url: 'ftp://x', keyThumbprint: THUMB }]), /\[0\]\.url/],
    [JSON.stringify([{ url: 'https://x?y=1', keyThumbprint: THUMB }]), /\[0\]\.url/],
    [JSON.stringify([{ url: 'https://x' }]), /exactly one/],
    [JSON.stringify([{ url: 'https://x', keyThumbprint: THUMB, jwk: { kty: 'OKP', crv: 'Ed25519', x: THUMB } }]), /exactly one/],
    [JSON.stringify([{ url: 'https://x', keyThumbprint: 'short' }]), /keyThumbprint/],
    [JSON.stringify([{ url: 'https://x', jwk: { kty: 'RSA', n: 'x' } }]), /jwk/],
    [JSON.stringify([{ url: 'https://x', keyThumbprint: THUMB }, { url: 'https://x/', keyThumbprint: THUMB }]), /twice/],
  ])('refuses %s', (text, message) => {
    expect(() => parseFederationPeers(text)).toThrow(message);
  });

  it('normalises peer URLs', () => {
    expect(normalisePeerUrl('https://a.example/lms/')).toBe('https://a.example/lms');
    expect(normalisePeerUrl('https://user:pw@a.example')).toBeNull();
    expect(normalisePeerUrl('javascript:alert(1)')).toBeNull();
  });
});
