import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totp } from './totp.js';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
const SEED = Buffer.from('12345678901234567890', 'ascii');

describe('TOTP (RFC 6238) and HOTP (RFC 4226)', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('matches the RFC 6238 SHA-1 test vector at T=%d (8 digits: %s)', (time, expected) => {
    expect(totp(SEED, time, 8)).toBe(expected);
    // The 6-digit code apps show is the same value modulo 10^6.
    expect(totp(SEED, time)).toBe(expected.slice(2));
  });

  it('matches the RFC 4226 Appendix D HOTP values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, counter) => hotp(SEED, counter))).toEqual(expected);
  });

  it('accepts a code of the current step or one step either side, and says which step it was', () => {
    const t = 1_700_000_000;
    const step = Math.floor(t / 30);
    expect(matchTotp(SEED, totp(SEED, t), t)).toBe(step);
    expect(matchTotp(SEED, totp(SEED, t - 30), t)).toBe(step - 1);
    expect(matchTotp(SEED, totp(SEED, t + 30), t)).toBe(step + 1);
    expect(matchTotp(SEED, totp(SEED, t - 90), t)).toBeNull();
    expect(matchTotp(SEED, '12345', t)).toBeNull();
    expect(matchTotp(SEED, 'abcdef', t)).toBeNull();
  });

  it('base32 round-trips and reads lower case, spaces and padding; the otpauth URI carries the parameters', () => {
    expect(base32Encode(SEED)).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq====').equals(SEED)).toBe(true);
    expect(() => base32Decode('not base32!')).toThrow();
    const uri = new URL(otpauthUri(SEED, 'lms.example', 'ana@example.org'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(Object.fromEntries(['issuer', 'algorithm', 'digits', 'period'].map((k) => [k, uri.searchParams.get(k)]))).toEqual({
      issuer: 'lms.example',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});
