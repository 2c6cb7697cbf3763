/** `npm run seed`: migrates the configured database and creates the demo store if it is not there yet. */
import { loadConfig } from './config.js';
import { systemClock } from './clock.js';
import { ensureDemo, openConfiguredDatabase } from './boot.js';

const config = loadConfig();
const handle = await openConfiguredDatabase(config);
const keys = await ensureDemo(config, handle, systemClock);
console.log(
  keys
    ? `Demo store ready.\n  publishable  ${keys.publishableKey}\n  secret       ${keys.secretKey}`
    : 'The demo store exists already (its keys were created elsewhere).',
);
await handle.close();
