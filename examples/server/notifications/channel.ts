/**
 * Channels deliver rendered notifications. The log/file transport is the default (JSON lines in a file under
 * DATA_DIR, or the server log); `SMTP_URL` switches to email through nodemailer.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../services.js';

/** One rendered message for one recipient. */
export interface Message {
  /** The `notifications` row it comes from. */
  notificationId: string;
  template: string;
  locale: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Files sent with the message; the HTML refers to an image by `cid:` (the ticket's QR code). */
  attachments?: Attachment[];
}

/** A file attached to a message, shown inline where the HTML names its `cid`. */
export interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
  cid: string;
}

/** The message without attachment bytes (for the log and file transports): their names and sizes only. */
function loggable(message: Message) {
  const { attachments, ...rest } = message;
  return attachments?.length
    ? {
        ...rest,
        attachments: attachments.map((a) => ({ filename: a.filename, cid: a.cid, size: a.content.length })),
      }
    : rest;
}

/** What a channel answers for a sent message. */
export interface SendResult {
  /** The transport's id of the message (SMTP Message-ID), when it has one. */
  providerId?: string;
}

/** A way to deliver messages. `send` throws when the message was not accepted; the worker retries it. */
export interface Channel {
  /** The `notifications.channel` value of rows it sends: `email` (SMTP) or `log`. */
  readonly kind: 'email' | 'log';
  send(message: Message): Promise<SendResult>;
  close?(): Promise<void>;
}

/** Appends every message as one JSON line to a file (created with its directory on first send). */
export class FileChannel implements Channel {
  readonly kind = 'log';
  constructor(readonly file: string) {}
  async send(message: Message): Promise<SendResult> {
    await mkdir(path.dirname(this.file), { recursive: true });
    await appendFile(
      this.file,
      JSON.stringify({ at: new Date().toISOString(), ...loggable(message) }) + '\n',
      'utf8',
    );
    return {};
  }
}

/** Writes every message to the server log (subject and recipient at info level, the text as a field). */
export class LogChannel implements Channel {
  readonly kind = 'log';
  constructor(private readonly log: Logger) {}
  async send(message: Message): Promise<SendResult> {
    this.log.info('notification', {
      notificationId: message.notificationId,
      template: message.template,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
    return {};
  }
}

/** Email over SMTP with nodemailer: `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://host:465`. */
export class SmtpChannel implements Channel {
  readonly kind = 'email';
  readonly #transport: Transporter;
  constructor(
    url: string,
    private readonly from: string,
  ) {
    // Short timeouts: a send holds its notification's lease, which must outlast it by far.
    const options = { url, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };
    this.#transport = nodemailer.createTransport(options as Parameters<typeof nodemailer.createTransport>[0]);
  }
  async send(message: Message): Promise<SendResult> {
    const info = await this.#transport.sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      ...(message.attachments?.length && {
        attachments: message.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
          cid: a.cid,
        })),
      }),
      headers: { 'X-DropSlot-Notification': message.notificationId },
    });
    return info.messageId ? { providerId: String(info.messageId) } : {};
  }
  async close(): Promise<void> {
    this.#transport.close();
  }
}

/** How notifications are sent, from the environment (see `loadConfig`). */
export interface ChannelConfig {
  /** `SMTP_URL`: email through this server. */
  smtpUrl?: string | undefined;
  /** `NOTIFY_FROM`: the From address of emails. */
  from: string;
  /** `NOTIFY_LOG_FILE`: JSON lines file of the log transport; `-` writes to the server log instead. */
  logFile: string;
}

export function channelFromConfig(config: ChannelConfig, log: Logger): Channel {
  if (config.smtpUrl) return new SmtpChannel(config.smtpUrl, config.from);
  if (config.logFile === '-') return new LogChannel(log);
  return new FileChannel(config.logFile);
}
