/**
 * The script-tag bundle (`dist/cdn/dropslot.js`): a store adds one
 * `<script type="module" src="…/dropslot.js" data-api="…" data-key="pk_…" data-locale="en">` and writes the elements in
 * its markup. This module reads that tag's data attributes into the page configuration and registers every element.
 *
 * The shopper elements are in this file. The staff desk (`<check-in-desk>`) is a lazy chunk next to it, loaded as soon
 * as the page has a `<check-in-desk>` (docs/decisions/0002): shopper pages never download staff code. So is the payment
 * step (`<payment-step>`).
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
import './reservation-ticket/define.js';

configureFromScripts();
defineWhenUsed({
  'check-in-desk': () => import('./check-in-desk/define.js'),
  // The payment step (and, when a card payment starts, Stripe.js) only on pages that take payments.
  'payment-step': () => import('./payment-step/define.js'),
});
