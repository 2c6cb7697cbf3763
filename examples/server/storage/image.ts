/**
 * Checks an uploaded image before it is stored: the bytes must be a whole image of the type the request declared
 * (magic bytes, then its end marker, so a truncated upload is refused), and its pixel size is read (`image-size`,
 * without decoding the pixels).
 */
import { imageSize } from 'image-size';
import type { ImageUploadType } from '../../../src/schemas/index.js';

/** The widest and tallest image accepted, in pixels. */
export const MAX_IMAGE_SIDE = 10_000;

export interface ImageFacts {
  type: ImageUploadType;
  /** File extension of the type. */
  ext: 'png' | 'jpg' | 'webp' | 'gif';
  /** Pixel size as displayed (a JPEG's EXIF orientation applied). */
  width: number;
  height: number;
}

/** Why an upload is refused: a sentence for the problem's `detail`. */
export class ImageRefusal extends Error {}

const EXT = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp', 'image/gif': 'gif' } as const;
const NAMES: Record<string, string> = { png: 'PNG', jpg: 'JPEG', webp: 'WebP', gif: 'GIF' };

const ascii = (bytes: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...bytes.subarray(start, end));

/** The format the bytes begin with (magic bytes), if one of the four. */
export function sniff(bytes: Uint8Array): keyof typeof NAMES | undefined {
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => bytes[i] === b))
    return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpg';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return 'gif';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  if (/^\s*(<\?xml|<svg|<!DOCTYPE svg)/i.test(ascii(bytes, 0, Math.min(bytes.length, 256)))) return 'svg';
  return undefined;
}

/** The last index of the two-byte marker `0xff, second`, or -1. */
function lastMarker(bytes: Uint8Array, second: number): number {
  for (let i = bytes.length - 2; i >= 0; i--) if (bytes[i] === 0xff && bytes[i + 1] === second) return i;
  return -1;
}

/** Whether the bytes hold the whole image: the format's end marker is where it must be. */
function complete(bytes: Uint8Array, ext: ImageFacts['ext']): boolean {
  switch (ext) {
    case 'png':
      // The IEND chunk (length 0, type, CRC) closes every PNG.
      return ascii(bytes, bytes.length - 8, bytes.length - 4) === 'IEND';
    case 'jpg':
      // End of image after the last start of scan (an EXIF thumbnail's own markers come before it).
      return lastMarker(bytes, 0xd9) > lastMarker(bytes, 0xda);
    case 'gif': {
      // The trailer byte, possibly followed by padding.
      let end = bytes.length - 1;
      while (end > 0 && bytes[end] === 0) end--;
      return bytes[end] === 0x3b;
    }
    case 'webp': {
      // The RIFF chunk says how long the file is.
      const size = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
      return bytes.length >= size + 8;
    }
  }
}

/** Checks `bytes` against the declared type and reads their size; throws `ImageRefusal` saying why not. */
export function inspectImage(bytes: Uint8Array, declared: ImageUploadType): ImageFacts {
  const ext = EXT[declared];
  const found = sniff(bytes);
  if (found !== ext) {
    throw new ImageRefusal(
      found
        ? `The body is ${found === 'svg' ? 'an SVG document' : `a ${NAMES[found]} image`}, not the ${NAMES[ext]} image its Content-Type (${declared}) says.`
        : `The body is not a ${NAMES[ext]} image: its first bytes are not a ${NAMES[ext]} signature.`,
    );
  }
  let size;
  try {
    size = imageSize(bytes);
  } catch {
    throw new ImageRefusal(`The ${NAMES[ext]} image cannot be read: its header is damaged.`);
  }
  if (size.type !== declared.slice('image/'.length).replace('jpeg', 'jpg')) {
    throw new ImageRefusal(`The body is not a ${NAMES[ext]} image.`);
  }
  if (!complete(bytes, ext)) {
    throw new ImageRefusal(
      `The ${NAMES[ext]} image is incomplete: its end is missing (was the upload cut short?).`,
    );
  }
  let { width = 0, height = 0 } = size;
  if (size.orientation !== undefined && size.orientation >= 5) [width, height] = [height, width];
  if (!(width > 0 && height > 0)) throw new ImageRefusal(`The ${NAMES[ext]} image has no pixels.`);
  if (width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    throw new ImageRefusal(
      `The image is ${width}×${height} pixels; at most ${MAX_IMAGE_SIDE} pixels on each side are accepted.`,
    );
  }
  return { type: declared, ext, width, height };
}
