// Generates the ribbon/store icons (addin/assets/icon-{16,32,64,80}.png) with a tiny PNG encoder; run by hand, PNGs are committed.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export const ICON_SIZES = [16, 32, 64, 80] as const;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes RGBA pixels (row-major, 4 bytes each) as a PNG (colour type 6, no filtering). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter type None per scanline
    Buffer.from(rgba.buffer, rgba.byteOffset + y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A ledger glyph: green rounded tile with three white "ledger lines". */
export function drawIcon(size: number): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const r = Math.max(2, Math.round(size / 6));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = Math.max(r - x, x - (size - 1 - r), 0);
      const dy = Math.max(r - y, y - (size - 1 - r), 0);
      const inside = dx * dx + dy * dy <= r * r;
      const i = (y * size + x) * 4;
      if (!inside) continue;
      const rel = y / size;
      const line =
        x >= size * 0.22 &&
        x < size * 0.78 &&
        [0.3, 0.5, 0.7].some((c) => Math.abs(rel - c) < Math.max(1 / size, 0.05));
      const [cr, cg, cb] = line ? [255, 255, 255] : [16, 124, 65]; // Excel green
      px[i] = cr;
      px[i + 1] = cg;
      px[i + 2] = cb;
      px[i + 3] = 255;
    }
  }
  return px;
}

export function writeIcons(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return ICON_SIZES.map((size) => {
    const file = path.join(dir, `icon-${size}.png`);
    fs.writeFileSync(file, encodePng(size, size, drawIcon(size)));
    return file;
  });
}

if (require.main === module) {
  for (const f of writeIcons(path.resolve(__dirname, '..', 'assets'))) console.log(`wrote ${f}`);
}
