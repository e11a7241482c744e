import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { compress } from './web-http.js';

describe('compress: repeated answers compressed once, never mixed up', () => {
  const page = (who: string): Buffer => Buffer.from(`<p>${who}</p>`.padEnd(4096, ' '));

  it('gives back exactly the bytes it was given, for bodies of the same length that differ', () => {
    const ana = page('Ana');
    const bob = page('Bob');
    expect(ana.length).toBe(bob.length);
    for (let round = 0; round < 2; round++) {
      expect(brotliDecompressSync(compress(ana, 'br')).equals(ana)).toBe(true);
      expect(brotliDecompressSync(compress(bob, 'br')).equals(bob)).toBe(true);
      expect(gunzipSync(compress(ana, 'gzip')).equals(ana)).toBe(true);
      expect(gunzipSync(compress(bob, 'gzip')).equals(bob)).toBe(true);
    }
  });

  it('reuses the compressed bytes of an identical body', () => {
    const body = page('same');
    expect(compress(Buffer.from(body), 'br')).toBe(compress(Buffer.from(body), 'br'));
  });
});
