/**
 * Every event the DropSlot elements fire, in one module: `import { ReserveEvent } from 'dropslot/events'`. Importing
 * it (or any element) also declares each event in `HTMLElementEventMap`, so `el.addEventListener('ds-reserve', (e) =>
 * e.detail.reservation)` is typed. Each element's module re-exports its own events too.
 *
 * @module
 */
export { DropSlotEvent } from './internal/events.js';
export * from './check-in-desk/check-in-desk.events.js';
export * from './drop-countdown/drop-countdown.events.js';
export * from './payment-step/payment-step.events.js';
export * from './rental-catalog/rental-catalog.events.js';
export * from './rental-checkout/rental-checkout.events.js';
export * from './reservation-ticket/reservation-ticket.events.js';
export * from './slot-picker/slot-picker.events.js';
