/**
 * A QR code as a PNG (8-bit greyscale, no filter, deflated with node:zlib) for emails: mail clients show a PNG
 * attached by Content-ID where they strip inline SVG and data URLs. The matrix comes from `uqr`.
 */
import { deflateSync } from 'node:zlib';
import { encode } from 'uqr';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** `text` as a QR code PNG: `scale` pixels per module, a 4-module quiet zone, black on white. */
export function qrPng(text: string, scale = 6): Buffer {
  const { data } = encode(text, { ecc: 'M', border: 4 });
  const size = data.length * scale;
  const rows: Buffer[] = [];
  for (const moduleRow of data) {
    const row = Buffer.alloc(1 + size, 0xff);
    row[0] = 0; // filter: none
    moduleRow.forEach((dark, x) => {
      if (dark) row.fill(0x00, 1 + x * scale, 1 + (x + 1) * scale);
    });
    for (let i = 0; i < scale; i++) rows.push(row);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
