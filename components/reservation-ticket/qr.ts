/** QR code geometry for the ticket: a `uqr` module matrix drawn as one SVG path. Not public API. */
import { encode } from 'uqr';

export interface QrGeometry {
  /** Modules per side, quiet zone included. */
  size: number;
  /** An SVG path of the dark modules: one `M x y h n v 1 h -n z` per horizontal run, in module units. */
  path: string;
}

/** Quiet zone around the code, in modules (the QR spec asks for 4). */
const QUIET_ZONE = 4;

/** Turns a module matrix (`true` = dark) into a path; runs of dark modules on a row become one rectangle. */
export function matrixPath(data: readonly (readonly boolean[])[]): string {
  let path = '';
  data.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      path += `M${start} ${y}h${x - start}v1h${start - x}z`;
    }
  });
  return path;
}

/** Encodes `text` with error correction M (survives a scuffed phone screen) and returns its geometry. */
export function qrGeometry(text: string): QrGeometry {
  const { data, size } = encode(text, { ecc: 'M', border: QUIET_ZONE });
  return { size, path: matrixPath(data) };
}
