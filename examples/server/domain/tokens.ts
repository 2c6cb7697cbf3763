/**
 * Signed tokens: customer tokens are JWTs (HS256, jose); check-in and rental handover QR tokens are short HMAC-signed
 * strings that name only the reservation or the handover row (no personal data) so the QR code stays small.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';
import { sql } from 'drizzle-orm';
import { rows, schema, type Database } from '../db/index.js';
import type { Clock } from '../clock.js';

export interface CustomerClaims {
  userId: string;
  storeId: string;
}

const ISSUER = 'dropslot';

/** Verified tokens kept so a burst of requests from the same shoppers verifies each token once. */
const VERIFIED_CACHE_SIZE = 50_000;

export class Tokens {
  readonly #key: Uint8Array;
  /** The same secret imported once as a WebCrypto key, so verifying a token does not import it again. */
  #cryptoKey?: Promise<CryptoKey>;
  readonly #verified = new Map<string, CustomerClaims & { exp: number }>();
  constructor(
    secret: string,
    private readonly clock: Clock,
  ) {
    this.#key = new TextEncoder().encode(secret);
  }

  /** Loads the shared signing secret, creating it on the first boot of the first process. */
  static async load(db: Database, clock: Clock): Promise<Tokens> {
    await db
      .insert(schema.serverSecrets)
      .values({ name: 'token_secret', value: randomBytes(32).toString('base64url') })
      .onConflictDoNothing();
    const [row] = await rows<{ value: string }>(
      db,
      sql`select value from ${schema.serverSecrets} where name = 'token_secret'`,
    );
    return new Tokens(row!.value, clock);
  }

  async signCustomerToken(
    claims: CustomerClaims,
    ttlSeconds: number,
  ): Promise<{ token: string; expiresAt: Date }> {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000);
    const expiresAt = new Date((nowSeconds + ttlSeconds) * 1000);
    const token = await new SignJWT({ sid: claims.storeId, typ: 'customer' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + ttlSeconds)
      .sign(this.#key);
    return { token, expiresAt };
  }

  async verifyCustomerToken(token: string): Promise<CustomerClaims | undefined> {
    const hit = this.#verified.get(token);
    if (hit) {
      if (hit.exp * 1000 > this.clock.now().getTime()) return { userId: hit.userId, storeId: hit.storeId };
      this.#verified.delete(token);
    }
    try {
      this.#cryptoKey ??= crypto.subtle.importKey(
        'raw',
        this.#key as Uint8Array<ArrayBuffer>,
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign', 'verify'],
      );
      const { payload } = await jwtVerify(token, await this.#cryptoKey, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        currentDate: this.clock.now(),
      });
      if (
        payload.typ !== 'customer' ||
        typeof payload.sub !== 'string' ||
        typeof payload.sid !== 'string' ||
        typeof payload.exp !== 'number'
      ) {
        return undefined;
      }
      if (this.#verified.size >= VERIFIED_CACHE_SIZE) this.#verified.clear();
      this.#verified.set(token, { userId: payload.sub, storeId: payload.sid, exp: payload.exp });
      return { userId: payload.sub, storeId: payload.sid };
    } catch {
      return undefined;
    }
  }

  #mac(body: string, kind: 'checkin' | 'handover' | 'ticket' | 'rental' = 'checkin'): string {
    return createHmac('sha256', this.#key)
      .update(`${kind}:${body}`)
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }

  /** `ds1.<reservation id without dashes>.<128-bit HMAC>`. */
  checkInToken(reservationId: string): string {
    const body = reservationId.replaceAll('-', '');
    return `ds1.${body}.${this.#mac(body)}`;
  }

  /** The reservation id a check-in token names, if its signature holds. */
  verifyCheckInToken(token: string): string | undefined {
    const match = /^ds1\.([0-9a-f]{32})\.([A-Za-z0-9_-]{22})$/.exec(token.trim());
    if (!match) return undefined;
    const [, body, mac] = match as unknown as [string, string, string];
    const expected = Buffer.from(this.#mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return uuidOf(body);
  }

  /**
   * `ds1h.<handover_qr id without dashes>.<128-bit HMAC>`: a rental pickup or return code. The MAC is keyed by a
   * different domain than check-in codes, so one kind can never be replayed as the other. No personal data.
   */
  handoverToken(handoverId: string): string {
    const body = handoverId.replaceAll('-', '');
    return `ds1h.${body}.${this.#mac(body, 'handover')}`;
  }

  /**
   * `dst1.<reservation id without dashes>.<expiry, epoch seconds in base 36>.<128-bit HMAC>`: the link of a confirmation
   * mail to the ticket page. Read-only (it shows the ticket and its QR code, it changes nothing) and expiring; keyed by
   * its own domain, so it is never a check-in code. No personal data.
   */
  ticketLinkToken(reservationId: string, expiresAt: Date): string {
    const body = `${reservationId.replaceAll('-', '')}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
    return `dst1.${body}.${this.#mac(body, 'ticket')}`;
  }

  /** The reservation a ticket link names, if its signature holds and it has not expired. */
  verifyTicketLinkToken(token: string): string | undefined {
    return this.#verifyLink(token, 'dst1', 'ticket');
  }

  /**
   * `dsr1.<rental order id without dashes>.<expiry, epoch seconds in base 36>.<128-bit HMAC>`: the link of a rental's
   * confirmation mail to its booking page. Read-only and expiring like a ticket link, under a key domain of its own (a
   * ticket link can never name a rental, nor the reverse). No personal data.
   */
  rentalLinkToken(orderId: string, expiresAt: Date): string {
    const body = `${orderId.replaceAll('-', '')}.${Math.floor(expiresAt.getTime() / 1000).toString(36)}`;
    return `dsr1.${body}.${this.#mac(body, 'rental')}`;
  }

  /** The rental order a booking link names, if its signature holds and it has not expired. */
  verifyRentalLinkToken(token: string): string | undefined {
    return this.#verifyLink(token, 'dsr1', 'rental');
  }

  #verifyLink(token: string, prefix: 'dst1' | 'dsr1', kind: 'ticket' | 'rental'): string | undefined {
    const match = /^(dst1|dsr1)\.([0-9a-f]{32})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token.trim());
    if (!match || match[1] !== prefix) return undefined;
    const [, , id, expiry, mac] = match as unknown as [string, string, string, string, string];
    const expected = Buffer.from(this.#mac(`${id}.${expiry}`, kind));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    if (parseInt(expiry, 36) * 1000 <= this.clock.now().getTime()) return undefined;
    return uuidOf(id);
  }

  /** The `handover_qr` id a handover token names, if its signature holds. */
  verifyHandoverToken(token: string): string | undefined {
    const match = /^ds1h\.([0-9a-f]{32})\.([A-Za-z0-9_-]{22})$/.exec(token.trim());
    if (!match) return undefined;
    const [, body, mac] = match as unknown as [string, string, string];
    const expected = Buffer.from(this.#mac(body, 'handover'));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return uuidOf(body);
  }
}

function uuidOf(body: string): string {
  return `${body.slice(0, 8)}-${body.slice(8, 12)}-${body.slice(12, 16)}-${body.slice(16, 20)}-${body.slice(20)}`;
}
