/**
 * A QR code as a PNG (8-bit greyscale, no filter, deflated with node:zlib) for emails: mail clients show a PNG
 * attached by Content-ID where they strip inline SVG and data URLs. The matrix comes from `uqr`.
 */
import { encode } from 'uqr';
import { encodePng } from './png.js';

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
  return encodePng(size, size, 'greyscale', rows);
}
