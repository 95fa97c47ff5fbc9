import { describe, expect, it } from 'vitest';
import { decodeWalRecord, encodeWalRecord, peekWalRecord } from '../../src/dataway/wal-record.js';

describe('WAL records', () => {
  const frag = Buffer.from('m f=1i 1');

  it('round-trips an unkeyed record in the original layout', () => {
    const rec = Buffer.from(encodeWalRecord(3, frag));
    expect(rec.readUInt32LE(0)).toBe(3);
    expect(decodeWalRecord(rec)).toEqual({ count: 3, key: null, fragment: frag });
    expect(peekWalRecord(rec)).toEqual({ count: 3, keyed: false });
  });

  it('round-trips a keyed record, key and count intact', () => {
    const rec = Buffer.from(encodeWalRecord(128, frag, 'a1b2c3-1z.a@1+0'));
    expect(peekWalRecord(rec)).toEqual({ count: 128, keyed: true });
    expect(decodeWalRecord(rec)).toEqual({ count: 128, key: 'a1b2c3-1z.a@1+0', fragment: frag });
  });

  it('keeps large counts intact next to the key flag', () => {
    const rec = Buffer.from(encodeWalRecord(0x7fff_ffff, frag, 'k'));
    expect(decodeWalRecord(rec)?.count).toBe(0x7fff_ffff);
  });

  it('answers null for truncated records instead of reading past the end', () => {
    const rec = Buffer.from(encodeWalRecord(1, frag, 'abcdef'));
    expect(decodeWalRecord(rec.subarray(0, 3))).toBeNull();
    expect(decodeWalRecord(rec.subarray(0, 5))).toBeNull();
    expect(decodeWalRecord(rec.subarray(0, 8))).toBeNull();
  });

  it('refuses a key longer than its length field', () => {
    expect(() => encodeWalRecord(1, frag, 'x'.repeat(70_000))).toThrow(/65535/);
  });
});
