/**
 * The script-tag bundle (`dist/cdn/dropslot.js`): a store adds one
 * `<script type="module" src="…/dropslot.js" data-api="…" data-key="pk_…" data-locale="en">` and writes the elements in
 * its markup. This module reads that tag's data attributes into the page configuration and registers every element.
 *
 * The picker and the countdown are in this file. The ticket (`<reservation-ticket>`), the staff desk (`<check-in-desk>`)
 * and the rental checkout (`<rental-checkout>`) are lazy chunks next to it, each loaded as soon as the page has such a
 * tag (docs/decisions/0002): shopper pages never download staff code, drop pages never download the rental checkout,
 * and the ticket shares the page's session with the picker from the main bundle.
 *
 * Imports are evaluated first, so elements already in the page upgrade before `configureFromScripts()` runs; their
 * first render waits for a microtask, by which time the configuration is set.
 */
import './internal/lit-nonce.js'; // first: sets `litNonce` before any element adopts its styles
import { configureFromScripts } from './internal/config.js';
import { defineWhenUsed } from './internal/lazy-define.js';
import './dropslot-config/define.js';
import './drop-countdown/define.js';
import './slot-picker/define.js';

configureFromScripts();
defineWhenUsed({
  'check-in-desk': () => import('./check-in-desk/define.js'),
  'rental-checkout': () => import('./rental-checkout/define.js'),
  'rental-catalog': () => import('./rental-catalog/define.js'),
  'payment-step': () => import('./payment-step/define.js'),
  'reservation-ticket': () => import('./reservation-ticket/define.js'),
});
