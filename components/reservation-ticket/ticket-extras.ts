/**
 * What only a confirmed ticket needs — the QR encoder (`uqr`) and the .ics writer — in one module that
 * `<reservation-ticket>` imports on first use. Pages that never show a confirmed ticket never download it (in the
 * script-tag bundle it is the lazy chunk `chunks/ticket-extras-….js`). Not public API.
 */
export { qrGeometry, type QrGeometry } from './qr.js';
export { toIcs } from './ics.js';
