/** A notifications channel for tests: it keeps every message it is given, in order. */
import assert from 'node:assert/strict';
import type { Channel, Message } from '../../examples/server/notifications/channel.js';

export class Outbox implements Channel {
  readonly kind = 'email';
  readonly sent: Message[] = [];
  async send(message: Message) {
    this.sent.push(message);
    return { providerId: `<${message.notificationId}@test>` };
  }
  /** The templates of the messages sent so far. */
  templates(): string[] {
    return this.sent.map((m) => m.template);
  }
}

/** The invitation token in a mail's link (`…/accept-invitation#token=…`). */
export function invitationTokenOf(message: Message): string {
  const match = /accept-invitation#token=([^\s"<]+)/.exec(message.text);
  assert.ok(match, `no invitation link in: ${message.text}`);
  return decodeURIComponent(match[1]!);
}
