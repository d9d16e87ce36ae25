/** The stored form of payloads, without Redis: what is written for which settings, and what is refused. */
import { brotliCompressSync, constants } from "node:zlib";
import { describe, expect, it } from "vitest";
import { DecodeError } from "../src/index.js";
import { openPayload, payloadAsJson, sealPayload } from "../src/payload/envelope.js";

describe("payload envelope", () => {
  it("stores JSON without a threshold, or under it, as plain JSON text", () => {
    expect(sealPayload({ a: 1 }, undefined)).toBe('{"a":1}');
    expect(sealPayload({ a: "é".repeat(10) }, { compressAboveBytes: 100 })).toBe(`{"a":"${"é".repeat(10)}"}`);
  });

  it("counts bytes, not characters, against compressAboveBytes", () => {
    const sealed = sealPayload({ a: "é".repeat(60) }, { compressAboveBytes: 100 });
    expect(Buffer.isBuffer(sealed) && [...sealed.subarray(0, 2)]).toEqual([0x00, 0x11]);
  });

  it("keeps an incompressible payload uncompressed", () => {
    // Brotli adds a few bytes of framing to a payload this short.
    expect(sealPayload({ a: "xy" }, { compressAboveBytes: 5 })).toBe('{"a":"xy"}');
    const packed = sealPayload({ a: "xy" }, { serializer: "msgpack", compressAboveBytes: 5 }) as Buffer;
    expect([...packed.subarray(0, 2)]).toEqual([0x00, 0x02]);
  });

  it("reads back every form it writes", () => {
    const value = { text: "x".repeat(2_000), n: 1.5, ok: true, none: null, list: [1, "two"] };
    for (const storage of [
      undefined,
      { compressAboveBytes: 64 },
      { serializer: "msgpack" as const },
      { serializer: "msgpack" as const, compressAboveBytes: 64 },
    ]) {
      const sealed = sealPayload(value, storage);
      expect(openPayload(sealed)).toEqual(value);
      expect(JSON.parse(payloadAsJson(sealed))).toEqual(value);
    }
  });

  it("refuses a payload that would inflate past its limit", () => {
    const bomb = Buffer.concat([
      Buffer.of(0x00, 0x11),
      brotliCompressSync(Buffer.alloc(80 * 1024 * 1024, 0x20), { params: { [constants.BROTLI_PARAM_QUALITY]: 1 } }),
    ]);
    expect(bomb.length).toBeLessThan(20_000);
    expect(() => openPayload(bomb)).toThrow(DecodeError);
    expect(() => openPayload(bomb)).toThrow(/does not decompress/);
  });

  it("refuses a binary envelope that was read as text", () => {
    expect(() => openPayload("\u0000\u0002garbled")).toThrow(/read as text/);
  });
});
