/**
 * Reads QR codes from a `<video>` showing the camera: the browser's `BarcodeDetector` where it supports QR codes,
 * otherwise the `jsqr` decoder, imported only then (a separate chunk, so pages whose browser detects natively never
 * download it). Not public API.
 */

/** Reads one frame; resolves to the text of a QR code in it, if any. */
export type FrameReader = (video: HTMLVideoElement) => Promise<string | undefined>;

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

type Decode = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: 'dontInvert' | 'onlyInvert' | 'attemptBoth' | 'invertFirst' },
) => { data: string } | null;

/** Frames are scaled down to this width for the JS decoder: enough for a ticket held up to the camera, and fast. */
const MAX_WIDTH = 640;

/** The native detector, if the browser has one that reads QR codes. */
async function nativeReader(): Promise<FrameReader | undefined> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (!Detector) return undefined;
  try {
    if (!(await Detector.getSupportedFormats()).includes('qr_code')) return undefined;
    const detector = new Detector({ formats: ['qr_code'] });
    return async (video) => (await detector.detect(video))[0]?.rawValue || undefined;
  } catch {
    return undefined;
  }
}

/** jsqr is CommonJS: its function is the default export, or that export's `default` under some interop layers. */
function decoderOf(module: unknown): Decode {
  const first = (module as { default?: unknown }).default ?? module;
  const fn = typeof first === 'function' ? first : (first as { default?: unknown }).default;
  if (typeof fn !== 'function') throw new TypeError('jsqr did not load');
  return fn as Decode;
}

async function jsReader(): Promise<FrameReader> {
  const decode = decoderOf(await import('jsqr'));
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('No 2D canvas');
  return async (video) => {
    const { videoWidth, videoHeight } = video;
    if (!videoWidth || !videoHeight) return undefined;
    const scale = Math.min(1, MAX_WIDTH / videoWidth);
    const width = Math.round(videoWidth * scale);
    const height = Math.round(videoHeight * scale);
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    context.drawImage(video, 0, 0, width, height);
    const image = context.getImageData(0, 0, width, height);
    return decode(image.data, width, height, { inversionAttempts: 'attemptBoth' })?.data || undefined;
  };
}

/** The best reader this browser has. */
export async function createFrameReader(): Promise<FrameReader> {
  return (await nativeReader()) ?? jsReader();
}
