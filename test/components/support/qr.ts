/**
 * Reading QR codes in component tests with jsQR, the decoder `<check-in-desk>` falls back to. jsQR ships as a
 * CommonJS/UMD bundle, which the test server does not turn into a module, so it is loaded as the classic script it also
 * is (it then sets `window.jsQR`).
 */
import { encode } from 'uqr';

type Decode = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

let loading: Promise<Decode> | undefined;

function loadJsQr(): Promise<Decode> {
  loading ??= new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/node_modules/jsqr/dist/jsQR.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('jsQR did not load'));
    document.head.append(script);
  }).then(() => {
    const loaded = (window as unknown as { jsQR?: Decode | { default: Decode } }).jsQR;
    if (!loaded) throw new Error('jsQR did not set window.jsQR');
    return typeof loaded === 'function' ? loaded : loaded.default;
  });
  return loading;
}

/** The text of the QR code in a picture (a canvas, an image, a playing video), if one is found. */
export async function readQr(
  source: CanvasImageSource,
  width: number,
  height: number,
): Promise<string | undefined> {
  const decode = await loadJsQr();
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.drawImage(source, 0, 0, width, height);
  return decode(context.getImageData(0, 0, width, height).data, width, height)?.data;
}

/** Draws a QR code given as an SVG path of its dark modules (`size` modules a side) on a white square. */
export function drawQr(canvas: HTMLCanvasElement, path: string, size: number): void {
  const context = canvas.getContext('2d')!;
  const scale = Math.floor(Math.min(canvas.width, canvas.height) / size);
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.save();
  context.scale(scale, scale);
  context.fillStyle = '#000';
  context.fill(new Path2D(path));
  context.restore();
}

/** Draws the QR code of `text` (encoded independently of the elements, with uqr) on a white canvas. */
export function drawCode(canvas: HTMLCanvasElement, text: string): void {
  const { data, size } = encode(text, { ecc: 'M', border: 4 });
  const context = canvas.getContext('2d')!;
  const scale = Math.floor(Math.min(canvas.width, canvas.height) / size);
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = '#000';
  data.forEach((row, y) =>
    row.forEach((dark, x) => {
      if (dark) context.fillRect(x * scale, y * scale, scale, scale);
    }),
  );
}
