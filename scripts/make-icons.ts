// Draws the Teams app icons (192x192 colour, 32x32 white-on-transparent outline) without image
// libraries: a referral letter with an arrow, on NHS blue. Run: npx tsx scripts/make-icons.ts
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];
const NHS_BLUE: Rgba = [0, 94, 184, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function png(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The glyph in unit coordinates (0..1): a page with three lines and an arrow out of its corner. */
function glyph(u: number, v: number): boolean {
  const page = u >= 0.22 && u <= 0.62 && v >= 0.18 && v <= 0.82;
  const inner = u >= 0.27 && u <= 0.57 && v >= 0.23 && v <= 0.77;
  const lines = [0.34, 0.46, 0.58].some((ly) => Math.abs(v - ly) < 0.025 && u >= 0.31 && u <= 0.53);
  const shaft = Math.abs(v - 0.62) < 0.04 && u >= 0.5 && u <= 0.8;
  const head = u >= 0.72 && u <= 0.88 && Math.abs(v - 0.62) <= 0.12 - (u - 0.72) * 0.75;
  return (page && !inner) || lines || shaft || head;
}

writeFileSync(
  'manifest/color.png',
  png(192, (x, y) => (glyph((x + 0.5) / 192, (y + 0.5) / 192) ? WHITE : NHS_BLUE)),
);
writeFileSync(
  'manifest/outline.png',
  png(32, (x, y) => (glyph((x + 0.5) / 32, (y + 0.5) / 32) ? WHITE : CLEAR)),
);
