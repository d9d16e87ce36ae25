/**
 * The Redis Cluster slot of a hash tag: CRC16 (XMODEM) of it, mod 16384, as Redis computes it. Shard
 * tags are chosen by their slot (see shards.ts), the same on every machine without asking a server.
 */
export const SLOTS = 16384;

const TABLE = Array.from({ length: 256 }, (_, byte) => {
  let crc = byte << 8;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  return crc;
});

/** The slot of a key whose hash tag is `tag` (tags are ASCII: queue names and shard suffixes). */
export function tagSlot(tag: string): number {
  let crc = 0;
  for (let i = 0; i < tag.length; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ tag.charCodeAt(i)) & 0xff];
  return crc % SLOTS;
}
