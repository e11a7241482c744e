import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * W3C Bitstring Status List: one bit per credential, bit 0 is the most significant bit of the
 * first byte. The list is GZIP-compressed and multibase base64url-encoded ("u" prefix, no padding).
 * 131,072 entries (16 KiB) per list, the minimum the specification recommends for herd privacy.
 */
export const STATUS_LIST_SIZE = 131_072;

/** Which list and bit a global sequence number maps to (lists are numbered from 1). */
export function statusEntryFor(sequence: number): { list: number; index: number } {
  return { list: Math.floor(sequence / STATUS_LIST_SIZE) + 1, index: sequence % STATUS_LIST_SIZE };
}

export function encodeStatusList(setIndices: Iterable<number>, size = STATUS_LIST_SIZE): string {
  const bytes = Buffer.alloc(Math.ceil(size / 8));
  for (const i of setIndices) {
    if (!Number.isInteger(i) || i < 0 || i >= size) throw new RangeError(`status index ${i} is outside the list`);
    bytes[i >> 3] |= 0x80 >> (i & 7);
  }
  // mtime 0 in the gzip header by default in Node: the same list gives the same bytes.
  return `u${gzipSync(bytes, { level: 9 }).toString('base64url')}`;
}

export function decodeStatusList(encoded: string): Buffer {
  if (!encoded.startsWith('u')) throw new Error('encodedList must be multibase base64url (prefix "u")');
  return gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
}

export function isStatusSet(bitstring: Buffer, index: number): boolean {
  return (bitstring[index >> 3] & (0x80 >> (index & 7))) !== 0;
}
