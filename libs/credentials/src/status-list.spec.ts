import { gunzipSync } from 'node:zlib';
import { decodeStatusList, encodeStatusList, isStatusSet, STATUS_LIST_SIZE, statusEntryFor } from './status-list.js';

describe('bitstring status list', () => {
  it('encodes a 16 KiB GZIP bitstring as multibase base64url with bit 0 the most significant bit of byte 0', async () => {
    const encoded = encodeStatusList([0, 9, STATUS_LIST_SIZE - 1]);
    expect(encoded.startsWith('u')).toBe(true);
    expect(encoded.slice(1)).toMatch(/^[A-Za-z0-9_-]+$/);
    const bytes = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
    expect(bytes.length).toBe(16_384);
    expect(bytes[0]).toBe(0b1000_0000);
    expect(bytes[1]).toBe(0b0100_0000);
    expect(bytes[bytes.length - 1]).toBe(0b0000_0001);
    expect(bytes.subarray(2, bytes.length - 1).every((b) => b === 0)).toBe(true);
  });

  it('round-trips and reads single bits', async () => {
    const bits = decodeStatusList(encodeStatusList([3, 1000, 77_777]));
    expect([3, 1000, 77_777].every((i) => isStatusSet(bits, i))).toBe(true);
    expect([0, 2, 4, 999, 1001].some((i) => isStatusSet(bits, i))).toBe(false);
  });

  it('gives the same bytes for the same list, and refuses indices outside it', async () => {
    expect(encodeStatusList([5, 6])).toBe(encodeStatusList([6, 5]));
    expect(() => encodeStatusList([STATUS_LIST_SIZE])).toThrow(RangeError);
    expect(() => encodeStatusList([-1])).toThrow(RangeError);
  });

  it('maps a global sequence number to a list (from 1) and an index', async () => {
    expect(statusEntryFor(0)).toEqual({ list: 1, index: 0 });
    expect(statusEntryFor(STATUS_LIST_SIZE - 1)).toEqual({ list: 1, index: STATUS_LIST_SIZE - 1 });
    expect(statusEntryFor(STATUS_LIST_SIZE)).toEqual({ list: 2, index: 0 });
  });
});
