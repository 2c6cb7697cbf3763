/**
 * Notification templates: subject, plain text and simple HTML per template name, in English and German. Times are
 * formatted with `Intl` in the store's time zone, amounts in minor units with the currency's own decimals.
 */
import { formatMoney } from '../../../src/money.js';

/** Every template a notification can use. */
export const NotificationTemplate = {
  reservationConfirmed: 'reservation_confirmed',
  holdExpiring: 'hold_expiring',
  waitlistPromoted: 'waitlist_promoted',
  /** A rental is confirmed: its pickup QR code and a link to its booking page, and what to pay at pickup. */
  rentalConfirmed: 'rental_confirmed',
  rentalPickupReminder: 'rental_pickup_reminder',
  rentalReturnReminder: 'rental_return_reminder',
  paymentReceipt: 'payment_receipt',
  /** An invitation to the store's team (queued by `POST /v1/members/invitations`, not derived from an event). */
  memberInvitation: 'member_invitation',
  /** A subscription became active: its plan, discount and period. */
  subscriptionStarted: 'subscription_started',
  /** A running subscription ends soon (sent once, a few days before): subscribe again to keep the discount. */
  subscriptionRenewalDue: 'subscription_renewal_due',
  /** A subscription was cancelled: at the end of its period, or now. */
  subscriptionCancelled: 'subscription_cancelled',
  /** A subscription's period is over. */
  subscriptionEnded: 'subscription_ended',
} as const;
export type NotificationTemplate = (typeof NotificationTemplate)[keyof typeof NotificationTemplate];

export const LOCALES = ['en', 'de'] as const;
export type TemplateLocale = (typeof LOCALES)[number];

/** The template language for a store locale (`de-AT` → `de`); anything without templates falls back to `en`. */
export function templateLocale(storeLocale: string | null | undefined): TemplateLocale {
  const language = (storeLocale ?? '').toLowerCase().split(/[-_]/)[0];
  return (LOCALES as readonly string[]).includes(language ?? '') ? (language as TemplateLocale) : 'en';
}

/** The facts a template shows, stored in `notifications.payload` when the notification is made. */
export interface TemplateFacts {
  storeName: string;
  customerName?: string | null;
  dropName?: string;
  productName?: string;
  slotStartsAt?: string;
  expiresAt?: string;
  claimDeadline?: string;
  reservationId?: string;
  rentalOrderId?: string;
  items?: string[];
  pickupAt?: string;
  returnAt?: string;
  paymentId?: string;
  amount?: number;
  currency?: string;
  /** Added when the message is sent, never stored: the signed link to the ticket page. */
  ticketUrl?: string;
  /** Added when the message is sent: the Content-ID of the attached QR code image. */
  qrCid?: string;
  /** Added when a rental's confirmation is sent: what is left to pay at pickup (minor units of `currency`), if any. */
  toPay?: number;
  /** A subscription's plan, its discount (percent) and period; `at` of a cancellation (`period_end` or `now`). */
  planName?: string;
  discountPct?: number;
  startsAt?: string;
  endsAt?: string;
  at?: string;
  /** A team invitation's role (`owner` or `staff`). */
  role?: string;
  /** Added when the message is sent, never stored: the signed invitation link and when it expires. */
  invitationUrl?: string;
  invitationExpiresAt?: string;
  [key: string]: unknown;
}

/** How a store formats: its locale (for `Intl`) and time zone. */
export interface StoreFormat {
  locale: string;
  timeZone: string;
}

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

function intlLocale(storeLocale: string, fallback: TemplateLocale): string {
  try {
    return Intl.getCanonicalLocales(storeLocale)[0] ?? fallback;
  } catch {
    return fallback;
  }
}

function formatters(store: StoreFormat, language: TemplateLocale) {
  // The store's own regional format (`de-AT`) when it speaks the template's language; else the language alone.
  const speaks = store.locale.toLowerCase().split(/[-_]/)[0] === language;
  const locale = speaks ? intlLocale(store.locale, language) : language;
  let timeZone = store.timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    timeZone = 'UTC';
  }
  const when = new Intl.DateTimeFormat(locale, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone,
  });
  return {
    time: (iso: string | undefined) => (iso ? when.format(new Date(iso)) : ''),
    money: (amount: number | undefined, currency: string | undefined) => {
      if (amount === undefined || !currency) return '';
      return formatMoney(amount, currency, locale);
    },
  };
}

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** A template's words: a subject and paragraphs, each a plain string. */
type Words = (
  facts: TemplateFacts,
  f: ReturnType<typeof formatters>,
) => {
  subject: string;
  lines: string[];
  /** A link shown after the lines (HTML: a link; text: the label and the address). */
  link?: { label: string; url: string } | undefined;
  /** An attached image shown after the lines (HTML only), by Content-ID. */
  image?: { cid: string; alt: string } | undefined;
};

/** The receipt's lines saying what was paid for: a drop's place and slot, or each rental line with its amount. */
function paidFor(
  d: TemplateFacts,
  f: ReturnType<typeof formatters>,
  words: {
    place: (drop: string, slot: string) => string;
    rental: (from: string, to: string) => string;
    discount: string;
    subscription: (plan: string) => string;
  },
): string[] {
  if (d.dropName) return [words.place(d.dropName, f.time(d.slotStartsAt))];
  if (d.planName) return [words.subscription(d.planName)];
  const lines = Array.isArray(d.lines) ? (d.lines as { label: string; amount: number }[]) : [];
  if (lines.length === 0) return [];
  const discount = typeof d.discount === 'number' && d.discount > 0 ? d.discount : 0;
  return [
    words.rental(f.time(d.pickupAt), f.time(d.returnAt)),
    ...lines.map((l) => `${l.label}: ${f.money(l.amount, d.currency)}`),
    ...(discount > 0 ? [`${words.discount}: −${f.money(discount, d.currency)}`] : []),
  ];
}

const catalog: Record<TemplateLocale, Record<NotificationTemplate, Words>> = {
  en: {
    reservation_confirmed: (d, f) => ({
      subject: `Your place for ${d.dropName} is confirmed`,
      lines: [
        `Your reservation for ${d.dropName} is confirmed.`,
        `Slot: ${f.time(d.slotStartsAt)}.`,
        d.qrCid
          ? `Show the QR code below at the entrance, or open your ticket with the link.`
          : `Show the QR code of your reservation at the entrance.`,
      ],
      link: d.ticketUrl ? { label: 'Open your ticket', url: d.ticketUrl } : undefined,
      image: d.qrCid ? { cid: d.qrCid, alt: `Check-in QR code for ${d.dropName}` } : undefined,
    }),
    hold_expiring: (d, f) => ({
      subject: `Your hold for ${d.dropName} expires soon`,
      lines: [
        `You are holding a place for ${d.dropName} (slot ${f.time(d.slotStartsAt)}).`,
        `Confirm it before ${f.time(d.expiresAt)}, or it goes to the next person.`,
      ],
    }),
    waitlist_promoted: (d, f) => ({
      subject: `A place for ${d.dropName} is yours to claim`,
      lines: [
        `Good news: a place for ${d.dropName} (slot ${f.time(d.slotStartsAt)}) opened up and it is held for you.`,
        `Claim it before ${f.time(d.claimDeadline)}, or it passes to the next person in line.`,
      ],
    }),
    rental_confirmed: (d, f) => ({
      subject: `Your rental is booked: pickup ${f.time(d.pickupAt)}`,
      lines: [
        `Your rental (${(d.items ?? []).join(', ')}) is booked.`,
        `Pickup: ${f.time(d.pickupAt)}. Return: ${f.time(d.returnAt)}.`,
        ...(d.toPay ? [`Pay ${f.money(d.toPay, d.currency)} at pickup.`] : []),
        d.qrCid
          ? `Show the QR code below at the counter when you pick it up, or open your booking with the link.`
          : `Show the pickup QR code of your order at the counter.`,
      ],
      link: d.ticketUrl ? { label: 'Open your booking', url: d.ticketUrl } : undefined,
      image: d.qrCid ? { cid: d.qrCid, alt: 'Pickup QR code' } : undefined,
    }),
    rental_pickup_reminder: (d, f) => ({
      subject: `Pickup reminder: ${f.time(d.pickupAt)}`,
      lines: [
        `Your rental (${(d.items ?? []).join(', ')}) is ready for pickup on ${f.time(d.pickupAt)}.`,
        `Bring the pickup QR code of your order.`,
      ],
    }),
    rental_return_reminder: (d, f) => ({
      subject: `Return reminder: ${f.time(d.returnAt)}`,
      lines: [
        `Please return your rental (${(d.items ?? []).join(', ')}) by ${f.time(d.returnAt)}.`,
        `Bring the return QR code of your order.`,
      ],
    }),
    payment_receipt: (d, f) => ({
      subject: `Receipt: ${f.money(d.amount, d.currency)} paid`,
      lines: [
        `Thank you for your payment of ${f.money(d.amount, d.currency)}.`,
        ...paidFor(d, f, {
          place: (drop, slot) => `Paid for: your place for ${drop}, slot ${slot}.`,
          rental: (from, to) => `Paid for: your rental from ${from} to ${to}:`,
          discount: 'Discounts and points',
          subscription: (plan) => `Paid for: your subscription to ${plan}.`,
        }),
        `Payment reference: ${d.paymentId}.`,
      ],
    }),
    subscription_started: (d, f) => ({
      subject: `Your subscription to ${d.planName} is active`,
      lines: [
        `Your subscription to ${d.planName} is active from ${f.time(d.startsAt)} until ${f.time(d.endsAt)}.`,
        `Rentals of its products starting in that time cost ${d.discountPct}% less.`,
      ],
    }),
    subscription_renewal_due: (d, f) => ({
      subject: `Your subscription to ${d.planName} ends soon`,
      lines: [
        `Your subscription to ${d.planName} ends on ${f.time(d.endsAt)}.`,
        `Subscribe again to keep your ${d.discountPct}% discount: the new period starts when this one ends.`,
      ],
    }),
    subscription_cancelled: (d, f) => ({
      subject: `Your subscription to ${d.planName} is cancelled`,
      lines:
        d.at === 'period_end'
          ? [
              `Your subscription to ${d.planName} is cancelled.`,
              `Your discount still applies to rentals starting before ${f.time(d.endsAt)}; then it ends.`,
            ]
          : [`Your subscription to ${d.planName} is cancelled and has ended.`],
    }),
    subscription_ended: (d, f) => ({
      subject: `Your subscription to ${d.planName} has ended`,
      lines: [
        `Your subscription to ${d.planName} ended on ${f.time(d.endsAt)}.`,
        `Subscribe again at any time to get its discount back.`,
      ],
    }),
    member_invitation: (d, f) => {
      const role = d.role === 'owner' ? 'an owner' : 'a staff member';
      return d.invitationUrl
        ? {
            subject: `You are invited to the team of ${d.storeName}`,
            lines: [
              `${d.storeName} invites you to its team as ${role}.`,
              `Open the link below to set your password. It works once, until ${f.time(d.invitationExpiresAt)}.`,
              `If you did not expect this invitation, ignore this message.`,
            ],
            link: { label: 'Accept the invitation', url: d.invitationUrl },
          }
        : {
            subject: `You joined the team of ${d.storeName}`,
            lines: [
              `You were added to the team of ${d.storeName} as ${role}.`,
              `Sign in with the e-mail address and password of your account.`,
            ],
          };
    },
  },
  de: {
    reservation_confirmed: (d, f) => ({
      subject: `Dein Platz für ${d.dropName} ist bestätigt`,
      lines: [
        `Deine Reservierung für ${d.dropName} ist bestätigt.`,
        `Zeitfenster: ${f.time(d.slotStartsAt)}.`,
        d.qrCid
          ? `Zeige den QR-Code unten am Eingang oder öffne dein Ticket über den Link.`
          : `Zeige den QR-Code deiner Reservierung am Eingang.`,
      ],
      link: d.ticketUrl ? { label: 'Ticket öffnen', url: d.ticketUrl } : undefined,
      image: d.qrCid ? { cid: d.qrCid, alt: `Check-in-QR-Code für ${d.dropName}` } : undefined,
    }),
    hold_expiring: (d, f) => ({
      subject: `Deine Reservierung für ${d.dropName} läuft bald ab`,
      lines: [
        `Für dich ist ein Platz für ${d.dropName} (Zeitfenster ${f.time(d.slotStartsAt)}) vorgemerkt.`,
        `Bestätige ihn bis ${f.time(d.expiresAt)}, sonst geht er an die nächste Person.`,
      ],
    }),
    waitlist_promoted: (d, f) => ({
      subject: `Ein Platz für ${d.dropName} wartet auf dich`,
      lines: [
        `Gute Nachricht: Ein Platz für ${d.dropName} (Zeitfenster ${f.time(d.slotStartsAt)}) ist frei geworden und für dich vorgemerkt.`,
        `Sichere ihn dir bis ${f.time(d.claimDeadline)}, sonst geht er an die nächste Person auf der Warteliste.`,
      ],
    }),
    rental_confirmed: (d, f) => ({
      subject: `Deine Miete ist gebucht: Abholung ${f.time(d.pickupAt)}`,
      lines: [
        `Deine Miete (${(d.items ?? []).join(', ')}) ist gebucht.`,
        `Abholung: ${f.time(d.pickupAt)}. Rückgabe: ${f.time(d.returnAt)}.`,
        ...(d.toPay ? [`Zahle ${f.money(d.toPay, d.currency)} bei der Abholung.`] : []),
        d.qrCid
          ? `Zeige den QR-Code unten bei der Abholung an der Theke oder öffne deine Buchung über den Link.`
          : `Zeige den Abhol-QR-Code deiner Bestellung an der Theke.`,
      ],
      link: d.ticketUrl ? { label: 'Buchung öffnen', url: d.ticketUrl } : undefined,
      image: d.qrCid ? { cid: d.qrCid, alt: 'Abhol-QR-Code' } : undefined,
    }),
    rental_pickup_reminder: (d, f) => ({
      subject: `Erinnerung an die Abholung: ${f.time(d.pickupAt)}`,
      lines: [
        `Deine Miete (${(d.items ?? []).join(', ')}) liegt am ${f.time(d.pickupAt)} zur Abholung bereit.`,
        `Bring den Abhol-QR-Code deiner Bestellung mit.`,
      ],
    }),
    rental_return_reminder: (d, f) => ({
      subject: `Erinnerung an die Rückgabe: ${f.time(d.returnAt)}`,
      lines: [
        `Bitte gib deine Miete (${(d.items ?? []).join(', ')}) bis ${f.time(d.returnAt)} zurück.`,
        `Bring den Rückgabe-QR-Code deiner Bestellung mit.`,
      ],
    }),
    payment_receipt: (d, f) => ({
      subject: `Beleg: ${f.money(d.amount, d.currency)} bezahlt`,
      lines: [
        `Vielen Dank für deine Zahlung von ${f.money(d.amount, d.currency)}.`,
        ...paidFor(d, f, {
          place: (drop, slot) => `Bezahlt: dein Platz für ${drop}, Zeitfenster ${slot}.`,
          rental: (from, to) => `Bezahlt: deine Miete von ${from} bis ${to}:`,
          discount: 'Rabatte und Punkte',
          subscription: (plan) => `Bezahlt: dein Abo ${plan}.`,
        }),
        `Zahlungsreferenz: ${d.paymentId}.`,
      ],
    }),
    subscription_started: (d, f) => ({
      subject: `Dein Abo ${d.planName} ist aktiv`,
      lines: [
        `Dein Abo ${d.planName} gilt vom ${f.time(d.startsAt)} bis zum ${f.time(d.endsAt)}.`,
        `Mieten seiner Produkte, die in dieser Zeit beginnen, kosten ${d.discountPct} % weniger.`,
      ],
    }),
    subscription_renewal_due: (d, f) => ({
      subject: `Dein Abo ${d.planName} endet bald`,
      lines: [
        `Dein Abo ${d.planName} endet am ${f.time(d.endsAt)}.`,
        `Schließe es erneut ab, um deine ${d.discountPct} % Rabatt zu behalten: Der neue Zeitraum beginnt, wenn dieser endet.`,
      ],
    }),
    subscription_cancelled: (d, f) => ({
      subject: `Dein Abo ${d.planName} ist gekündigt`,
      lines:
        d.at === 'period_end'
          ? [
              `Dein Abo ${d.planName} ist gekündigt.`,
              `Dein Rabatt gilt noch für Mieten, die vor dem ${f.time(d.endsAt)} beginnen; dann endet es.`,
            ]
          : [`Dein Abo ${d.planName} ist gekündigt und beendet.`],
    }),
    subscription_ended: (d, f) => ({
      subject: `Dein Abo ${d.planName} ist beendet`,
      lines: [
        `Dein Abo ${d.planName} ist am ${f.time(d.endsAt)} abgelaufen.`,
        `Du kannst es jederzeit erneut abschließen, um den Rabatt wieder zu bekommen.`,
      ],
    }),
    member_invitation: (d, f) => {
      const role = d.role === 'owner' ? 'Inhaber oder Inhaberin' : 'Teammitglied';
      return d.invitationUrl
        ? {
            subject: `Einladung in das Team von ${d.storeName}`,
            lines: [
              `${d.storeName} lädt dich als ${role} in das Team ein.`,
              `Öffne den Link unten, um dein Passwort festzulegen. Er gilt einmal, bis ${f.time(d.invitationExpiresAt)}.`,
              `Wenn du diese Einladung nicht erwartet hast, ignoriere diese Nachricht.`,
            ],
            link: { label: 'Einladung annehmen', url: d.invitationUrl },
          }
        : {
            subject: `Du bist jetzt im Team von ${d.storeName}`,
            lines: [
              `Du wurdest als ${role} in das Team von ${d.storeName} aufgenommen.`,
              `Melde dich mit der E-Mail-Adresse und dem Passwort deines Kontos an.`,
            ],
          };
    },
  },
};

const greeting: Record<TemplateLocale, (name: string | null | undefined) => string> = {
  en: (name) => (name ? `Hello ${name},` : 'Hello,'),
  de: (name) => (name ? `Hallo ${name},` : 'Hallo,'),
};

/** Renders a template in `language` (the row's locale) with the store's formats. */
export function render(
  template: NotificationTemplate,
  language: TemplateLocale,
  facts: TemplateFacts,
  store: StoreFormat,
): Rendered {
  const words = catalog[language][template](facts, formatters(store, language));
  const opening = [greeting[language](facts.customerName), ...words.lines];
  const closing = `— ${facts.storeName}`;
  const link = words.link;
  const text = [...opening, ...(link ? [`${link.label}: ${link.url}`] : []), closing];
  const html = [
    ...opening.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(words.image
      ? [
          `<p><img src="cid:${escapeHtml(words.image.cid)}" alt="${escapeHtml(words.image.alt)}" width="246" height="246"></p>`,
        ]
      : []),
    ...(link ? [`<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>`] : []),
    `<p>${escapeHtml(closing)}</p>`,
  ];
  return {
    subject: `${words.subject} · ${facts.storeName}`,
    text: text.join('\n\n') + '\n',
    html: `<!doctype html><html lang="${language}"><body>` + html.join('') + '</body></html>',
  };
}
