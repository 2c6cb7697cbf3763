/**
 * The rental part of the fake API (`FakeApi.rentals`): rentable products with units booked per calendar day, month
 * availability, quotes (started units × price × quantity, promo `SAVE10` = 10 %, points 1:1), orders, confirm and
 * the loyalty account. Days are calendar dates of the store's zone as the contract has them; a rental uses every day
 * from its pickup date to the day before its return date (return-day mornings are free again). Responses follow the
 * contract: the SDK validates each.
 */
import type { Product, ProductAsset } from '../../../src/schemas/products.js';
import type { Category, PricingUnit, RentalOrder, RentalQuote } from '../../../src/schemas/rentals.js';
import { addDays, dateIn, zonedInstant } from '../../../components/rental-checkout/calendar.js';

const UNIT_MS: Record<PricingUnit, number> = { hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

export interface RentalProductInit {
  name?: string;
  units?: number;
  basePrice?: number;
  pricingUnit?: PricingUnit;
  categoryId?: string | null;
  image?: string;
  /** The image's alt text. @default 'A camera kit on a table' */
  imageAlt?: string;
  /** Images only in the legacy `images` list (no assets). */
  legacyImages?: string[];
  /** A 3D model (an external asset) before the image. */
  modelFirst?: boolean;
  /** Not rentable at all (`rental: null`). */
  notRentable?: boolean;
}

interface FakeProduct {
  product: Product;
  /** Units taken per date (`YYYY-MM-DD`). */
  booked: Map<string, number>;
}

type Reply = { status: number; body: unknown };
const ok = (body: unknown, status = 200): Reply => ({ status, body });
const fail = (status: number, code: string): Reply => ({
  status,
  body: { type: `https://dropslot.dev/problems/${code}`, title: code, status, code },
});

export class FakeRentals {
  readonly products = new Map<string, FakeProduct>();
  readonly orders = new Map<string, RentalOrder>();
  readonly categories: Category[] = [];
  /** Loyalty points per customer id. */
  readonly points = new Map<string, number>();
  /** The next order is refused with 409 `unit_unavailable` (someone else was faster). */
  refuseNextOrder = false;

  constructor(
    private readonly host: { serverNow(): number; store: { id: string; timeZone: string; currency: string } },
  ) {}

  #today(): string {
    return dateIn(this.host.serverNow(), this.host.store.timeZone);
  }

  addCategory(name: string, parentId: string | null = null): Category {
    const category: Category = {
      id: crypto.randomUUID(),
      parentId,
      name,
      slug: name.toLowerCase(),
      position: 0,
      children: [],
    };
    const parent = parentId ? this.#find(this.categories, parentId) : undefined;
    (parent ? parent.children : this.categories).push(category);
    return category;
  }

  #find(nodes: Category[], id: string): Category | undefined {
    for (const n of nodes) {
      if (n.id === id) return n;
      const inner = this.#find(n.children, id);
      if (inner) return inner;
    }
    return undefined;
  }

  addProduct(init: RentalProductInit = {}): Product {
    const id = crypto.randomUUID();
    const now = new Date(this.host.serverNow()).toISOString();
    const asset = (type: ProductAsset['type'], url: string, alt: string): ProductAsset => ({
      id: crypto.randomUUID(),
      productId: id,
      type,
      url,
      alt,
      drmProtected: false,
      position: 0,
      source: url.startsWith('/assets/') ? 'upload' : 'external',
      contentType: null,
      byteSize: null,
      width: null,
      height: null,
      createdAt: now,
      updatedAt: now,
    });
    const assets: ProductAsset[] = [
      ...(init.modelFirst ? [asset('3d', 'https://cdn.example/model.glb', 'A 3D model of the kit')] : []),
      ...(init.image ? [asset('image', init.image, init.imageAlt ?? 'A camera kit on a table')] : []),
    ].map((a, position) => ({ ...a, position }));
    const product: Product = {
      id,
      storeId: this.host.store.id,
      sku: `RENT-${this.products.size + 1}`,
      name: init.name ?? 'Camera kit',
      description: null,
      images: init.legacyImages ?? [],
      assets,
      price: { amount: 0, currency: this.host.store.currency },
      isActive: true,
      rental: init.notRentable
        ? null
        : {
            categoryId: init.categoryId ?? null,
            basePrice: { amount: init.basePrice ?? 3500, currency: this.host.store.currency },
            pricingUnit: init.pricingUnit ?? 'day',
            assets,
            unitsInService: init.units ?? 3,
          },
      createdAt: now,
      updatedAt: now,
    };
    this.products.set(id, { product, booked: new Map() });
    return product;
  }

  /** Takes `units` of the product on `days` days from `date` (as other customers' rentals would). */
  book(productId: string, date: string, days = 1, units = 1): void {
    const p = this.products.get(productId)!;
    for (let i = 0; i < days; i++) {
      const d = addDays(date, i);
      p.booked.set(d, (p.booked.get(d) ?? 0) + units);
    }
  }

  /** The date `n` days after today in the store's zone. */
  day(n: number): string {
    return addDays(this.#today(), n);
  }

  #free(p: FakeProduct, date: string): number {
    return Math.max(0, (p.product.rental?.unitsInService ?? 0) - (p.booked.get(date) ?? 0));
  }

  /** Dates a period occupies: from its start date up to the day before its end date (at least the start date). */
  #dates(start: string, end: string): string[] {
    const zone = this.host.store.timeZone;
    const from = dateIn(Date.parse(start), zone);
    const to = dateIn(Date.parse(end) - 1, zone);
    const dates: string[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d);
    return dates;
  }

  #quote(
    body: {
      items: { productId: string; quantity: number }[];
      start: string;
      end: string;
      promoCode?: string;
      redeemPoints?: number;
    },
    customerId: string | undefined,
  ): Reply | RentalQuote {
    const item = body.items[0]!;
    const p = this.products.get(item.productId);
    if (!p) return fail(404, 'not_found');
    const terms = p.product.rental;
    if (!terms) return fail(422, 'not_rentable');
    const ms = Date.parse(body.end) - Date.parse(body.start);
    if (!(ms > 0) || Date.parse(body.start) < this.host.serverNow() - 60_000)
      return fail(400, 'invalid_period');
    const units = Math.ceil(ms / UNIT_MS[terms.pricingUnit]);
    const amount = units * terms.basePrice.amount * item.quantity;
    const dates = this.#dates(body.start, body.end);
    const freeUnits = Math.min(...dates.map((d) => this.#free(p, d)));
    let promotion: RentalQuote['promotion'] = null;
    let promoDiscount = 0;
    if (body.promoCode) {
      const code = body.promoCode.toUpperCase();
      if (code === 'OLD') return fail(422, 'promo_expired');
      if (code !== 'SAVE10') return fail(422, 'promo_invalid');
      promotion = { code: 'SAVE10', discountType: 'percent', value: 10 };
      promoDiscount = Math.floor((amount * 10) / 100);
    }
    const balance = customerId ? (this.points.get(customerId) ?? 0) : 0;
    if ((body.redeemPoints ?? 0) > balance) return fail(422, 'insufficient_points');
    const pointsRedeemed = Math.min(body.redeemPoints ?? 0, amount - promoDiscount);
    const available = freeUnits >= item.quantity;
    return {
      currency: terms.basePrice.currency,
      start: new Date(body.start).toISOString(),
      end: new Date(body.end).toISOString(),
      lines: [
        {
          productId: p.product.id,
          name: p.product.name,
          quantity: item.quantity,
          pricingUnit: terms.pricingUnit,
          units,
          unitPrice: terms.basePrice.amount,
          amount,
          subscriptionDiscount: 0,
          freeUnits,
          available,
        },
      ],
      subtotal: amount,
      subscriptionDiscount: 0,
      subscriptionId: null,
      promotion,
      promoDiscount,
      pointsRedeemed,
      pointsDiscount: pointsRedeemed,
      total: amount - promoDiscount - pointsRedeemed,
      available,
    };
  }

  /** Books the units and makes the order (`pending_payment`), as `POST /v1/rentals` does. */
  #createOrder(
    customerId: string,
    body: { items: { productId: string; quantity: number }[] },
    quote: RentalQuote,
  ): RentalOrder {
    const item = body.items[0]!;
    const p = this.products.get(item.productId)!;
    for (const d of this.#dates(quote.start, quote.end))
      p.booked.set(d, (p.booked.get(d) ?? 0) + item.quantity);
    const id = crypto.randomUUID();
    const now = new Date(this.host.serverNow()).toISOString();
    const order: RentalOrder = {
      id,
      storeId: this.host.store.id,
      customerId,
      status: 'pending_payment',
      start: quote.start,
      end: quote.end,
      currency: quote.currency,
      total: quote.total,
      quote,
      items: Array.from({ length: item.quantity }, (_, i) => ({
        id: crypto.randomUUID(),
        productId: p.product.id,
        inventoryItemId: crypto.randomUUID(),
        serial: `${p.product.sku}-00${i + 1}`,
        units: quote.lines[0]!.units,
        unitPrice: quote.lines[0]!.unitPrice,
        amount: quote.lines[0]!.unitPrice * quote.lines[0]!.units,
        status: 'held',
      })),
      invoice: {
        id: crypto.randomUUID(),
        rentalOrderId: id,
        amountDue: quote.total,
        amountPaid: 0,
        currency: quote.currency,
        status: 'open',
        dueDate: quote.start.slice(0, 10),
        issuedAt: now,
      },
      schedules: [
        {
          id: crypto.randomUUID(),
          type: 'pickup',
          scheduledFor: quote.start,
          actualAt: null,
          assignedTo: null,
        },
        {
          id: crypto.randomUUID(),
          type: 'return',
          scheduledFor: quote.end,
          actualAt: null,
          assignedTo: null,
        },
      ],
      qrToken: null,
      qrType: null,
      createdAt: now,
      confirmedAt: null,
      cancelledAt: null,
      completedAt: null,
    };
    this.orders.set(id, order);
    return order;
  }

  /**
   * An order of the customer's made earlier (another tab, another device): `days` days from `date` at 10:00 store
   * time, in `status` (a confirmed one has its pickup code, an active one its return code).
   */
  placeOrder(
    customerId: string,
    productId: string,
    date: string,
    days: number,
    status: RentalOrder['status'] = 'pending_payment',
  ): RentalOrder {
    const zone = this.host.store.timeZone;
    const start = zonedInstant(date, 10, zone).toISOString();
    const end = zonedInstant(addDays(date, days), 10, zone).toISOString();
    const body = { items: [{ productId, quantity: 1 }], start, end };
    const quote = this.#quote(body, customerId) as RentalQuote;
    const order = this.#createOrder(customerId, body, quote);
    if (status !== 'pending_payment') {
      order.status = status;
      order.confirmedAt = new Date(this.host.serverNow()).toISOString();
      const active = status === 'active' || status === 'overdue';
      order.qrType = status === 'confirmed' ? 'pickup' : active ? 'return' : null;
      order.qrToken = order.qrType ? `ds1h.${order.id}.fake${order.qrType}` : null;
    }
    return order;
  }

  /** Answers a rental route, or undefined when the path is not one. */
  route(method: string, url: URL, body: unknown, customerId: string | undefined): Reply | undefined {
    const path = url.pathname;
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/v1/categories') return ok({ data: this.categories });
    if (method === 'GET' && path === '/v1/products') {
      const data = [...this.products.values()].map((p) => p.product);
      return ok({
        data: url.searchParams.get('rentable') === 'true' ? data.filter((p) => p.rental) : data,
        hasMore: false,
      });
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/products\/([^/]+)$/))) {
      const p = this.products.get(m[1]!);
      return p ? ok(p.product) : fail(404, 'not_found');
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/products\/([^/]+)\/availability$/))) {
      const p = this.products.get(m[1]!);
      const month = url.searchParams.get('month');
      if (!p || !month) return fail(404, 'not_found');
      const days = [];
      for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1)) {
        days.push({
          date: d,
          start: `${d}T00:00:00.000Z`,
          end: `${addDays(d, 1)}T00:00:00.000Z`,
          freeUnits: this.#free(p, d),
        });
      }
      return ok({
        productId: p.product.id,
        month,
        timeZone: this.host.store.timeZone,
        totalUnits: p.product.rental?.unitsInService ?? 0,
        days,
      });
    }
    if (method === 'POST' && path === '/v1/rental-quotes') {
      const quote = this.#quote(body as never, customerId);
      return 'status' in quote ? quote : ok(quote);
    }
    if (method === 'GET' && path === '/v1/customers/me/loyalty') {
      if (!customerId) return fail(401, 'customer_token_required');
      return ok({
        pointsBalance: this.points.get(customerId) ?? 0,
        tier: 'standard',
        ledger: [],
        subscription: null,
      });
    }
    if (method === 'POST' && path === '/v1/rentals') {
      if (!customerId) return fail(401, 'customer_token_required');
      const quote = this.#quote(body as never, customerId);
      if ('status' in quote) return quote;
      if (!quote.available || this.refuseNextOrder) {
        this.refuseNextOrder = false;
        return fail(409, 'unit_unavailable');
      }
      return ok(this.#createOrder(customerId, body as never, quote), 201);
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/customers\/me\/products\/([^/]+)\/rentals$/))) {
      if (!customerId) return fail(401, 'customer_token_required');
      if (!this.products.has(m[1]!)) return fail(404, 'not_found');
      const productId = m[1]!;
      const now = this.host.serverNow();
      const orders = [...this.orders.values()]
        .filter(
          (o) =>
            o.customerId === customerId &&
            o.items.some((i) => i.productId === productId) &&
            (['active', 'overdue'].includes(o.status) ||
              (['pending_payment', 'confirmed'].includes(o.status) && Date.parse(o.end) > now)),
        )
        .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
      return ok({ productId, orders });
    }
    if (method === 'POST' && (m = path.match(/^\/v1\/rentals\/([^/]+)\/cancel$/))) {
      const order = this.orders.get(m[1]!);
      if (!customerId) return fail(401, 'customer_token_required');
      if (!order || order.customerId !== customerId) return fail(404, 'not_found');
      if (order.status !== 'pending_payment' && order.status !== 'confirmed')
        return fail(409, 'invalid_state');
      order.status = 'cancelled';
      order.cancelledAt = new Date(this.host.serverNow()).toISOString();
      order.qrToken = null;
      order.qrType = null;
      order.invoice.status = 'void';
      const p = this.products.get(order.items[0]!.productId)!;
      for (const d of this.#dates(order.start, order.end))
        p.booked.set(d, Math.max(0, (p.booked.get(d) ?? 0) - order.items.length));
      return ok(order);
    }
    if (method === 'GET' && (m = path.match(/^\/v1\/rentals\/([^/]+)$/))) {
      const order = this.orders.get(m[1]!);
      if (!customerId) return fail(401, 'customer_token_required');
      return order && order.customerId === customerId ? ok(order) : fail(404, 'not_found');
    }
    if (method === 'POST' && (m = path.match(/^\/v1\/rentals\/([^/]+)\/confirm$/))) {
      const order = this.orders.get(m[1]!);
      if (!customerId) return fail(401, 'customer_token_required');
      if (!order || order.customerId !== customerId) return fail(404, 'not_found');
      if ((this.host.store as { rentalPayment?: string }).rentalPayment !== 'at_pickup')
        return fail(402, 'payment_required');
      order.status = 'confirmed';
      order.confirmedAt = new Date(this.host.serverNow()).toISOString();
      order.qrToken = `ds1h.${order.id}.fakesignature`;
      order.qrType = 'pickup';
      return ok(order);
    }
    if (method === 'POST' && path === '/v1/handovers') return this.#handover(body as { qrToken: string });
    return undefined;
  }

  /** Handover codes already verified: code → when and which step. */
  readonly #used = new Map<string, { at: string; type: 'pickup' | 'return'; orderId: string }>();

  /**
   * `POST /v1/handovers` as the reference server answers it (without the staff check): pickup makes the order active
   * (the return code is next), return completes it; a repeat is 409 `qr_already_used` naming the ticket. The customer
   * is named "Ada Renter" here.
   */
  #handover(body: { qrToken: string }): Reply {
    const now = new Date(this.host.serverNow()).toISOString();
    const ticketOf = (order: RentalOrder, type: 'pickup' | 'return', at: string) => ({
      kind: type,
      id: order.id,
      customer: { id: order.customerId, name: 'Ada Renter' },
      drop: null,
      slot: null,
      period: { start: order.start, end: order.end },
      units: order.items.map((i) => ({
        inventoryItemId: i.inventoryItemId,
        serial: i.serial,
        productId: i.productId,
        productName: this.products.get(i.productId)?.product.name ?? '?',
      })),
      amountToCollect:
        type === 'pickup' && order.invoice.status === 'open'
          ? order.invoice.amountDue - order.invoice.amountPaid
          : 0,
      currency: order.currency,
      usedAt: at,
      timeZone: this.host.store.timeZone,
    });
    const used = this.#used.get(body.qrToken);
    if (used) {
      const order = this.orders.get(used.orderId)!;
      const refused = fail(409, 'qr_already_used');
      Object.assign(refused.body as object, {
        firstUsedAt: used.at,
        rentalOrderId: order.id,
        type: used.type,
        ticket: ticketOf(order, used.type, used.at),
      });
      return refused;
    }
    const order = [...this.orders.values()].find((o) => o.qrToken === body.qrToken);
    if (!order || !order.qrType) return fail(400, 'qr_invalid');
    const type = order.qrType;
    this.#used.set(body.qrToken, { at: now, type, orderId: order.id });
    const ticket = ticketOf(order, type, now);
    if (type === 'pickup') {
      order.status = 'active';
      order.qrToken = `ds1h.${order.id}.fakereturn`;
      order.qrType = 'return';
    } else {
      order.status = 'completed';
      order.completedAt = now;
      order.qrToken = null;
      order.qrType = null;
    }
    return ok(
      {
        id: crypto.randomUUID(),
        type,
        rentalOrderId: order.id,
        verifiedAt: now,
        verifiedBy: null,
        pointsEarned: 0,
        rental: order,
        ticket,
      },
      201,
    );
  }
}
