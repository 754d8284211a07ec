/**
 * The customer's image: a 16×16 RGBA PNG made here (stored, not compressed, so it is about 1 KB and
 * a 100-byte range is a real part of it), and the pixel the page reads back from a canvas.
 */
import * as zlib from 'zlib';

const SIZE = 16;

/** The colour of pixel (x, y): distinct per pixel, fully opaque. */
export function pixelAt(x: number, y: number): [number, number, number, number] {
  return [x * 16, y * 16, (x * 7 + y * 13) % 256, 255];
}

/** The pixel page.ts reads back (`getImageData(1, 2, 1, 1)`). */
export const PROBED_PIXEL = pixelAt(1, 2);

/** The PNG's bytes. */
export function testImagePng(): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < SIZE; y++) {
    const row = Buffer.alloc(1 + SIZE * 4); // filter byte 0: none
    for (let x = 0; x < SIZE; x++) {
      Buffer.from(pixelAt(x, y)).copy(row, 1 + x * 4);
    }
    rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8 bits, RGBA, deflate, no filter method, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 0 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}
