/**
 * The DropSlot API contract: zod/mini schemas for every request and response.
 * The reference backend validates with them and generates `/openapi.json` from them; the SDK's types are inferred from them.
 * @module
 */
export * from './registry.js';
export * from './common.js';
export * from './time.js';
export * from './store.js';
export * from './products.js';
export * from './assets.js';
export * from './drops.js';
export * from './slots.js';
export * from './reservations.js';
export * from './waitlist.js';
export * from './customers.js';
export * from './customer-state.js';
export * from './stream.js';
export * from './rentals.js';
export * from './subscriptions.js';
export * from './notifications.js';
export * from './webhooks.js';
export * from './webhook-events.js';
export * from './audit.js';
export * from './payments.js';
export * from './merchant.js';
export * from './desk.js';
