/**
 * `npm run webhook-receiver`: receives the demo store's webhooks on http://127.0.0.1:4000/webhooks.
 * WEBHOOK_SECRET is the endpoint's secret (comma-separated new,old during a rotation); PORT and EVENTS_FILE optional.
 */
import { startWebhookReceiver } from './receiver.js';

const secrets = (process.env.WEBHOOK_SECRET ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
if (secrets.length === 0) {
  console.error('Set WEBHOOK_SECRET to the endpoint secret (whsec_…) shown when you created the endpoint.');
  process.exit(1);
}
const receiver = await startWebhookReceiver({
  secrets,
  port: Number(process.env.PORT ?? 4000),
  file: process.env.EVENTS_FILE ?? 'webhook-events.jsonl',
  onEvent: (event) => {
    console.log(`${event.timestamp}  ${event.type}  ${event.id}  ${JSON.stringify(event.data)}`);
    // `type` narrows `data` (src/schemas/webhook-events.ts): a handler reads the facts it needs, typed.
    if (event.type === 'reservation.confirmed')
      console.log(`  confirmed: reservation ${event.data.reservationId}`);
  },
});
console.log(
  `Receiving DropSlot webhooks on ${receiver.url} (events appended to ${process.env.EVENTS_FILE ?? 'webhook-events.jsonl'})`,
);
const stop = () => void receiver.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
