import type { ListPromise, RequestOptions } from '../core.js';
import { errorFromStatus } from '../errors.js';
import type { Transport } from '../internal/transport.js';
import { Problem, type ListQuery } from '../schemas/common.js';
import {
  ApiKey,
  ApiKeyList,
  ApiKeyRolled,
  ApiKeyWithSecret,
  BranchDeleted,
  BranchHours,
  BranchList,
  CustomerDetail,
  CustomerErased,
  CustomerExport,
  CustomerList,
  DropReport,
  InvitationAccepted,
  Member,
  MemberInvited,
  MemberList,
  MemberRemoved,
  RentalReport,
  StoreCreated,
  StoreSettings,
  type ApiKeyCreate,
  type ApiKeyRoll,
  type ApiKeyUpdate,
  type BranchCreate,
  type BranchHoursQuery,
  type BranchUpdate,
  type CustomerListQuery,
  type CustomerRecord,
  type ExportKind,
  type ExportQuery,
  type InvitationAccept,
  type MemberInvite,
  type MemberUpdate,
  type RentalReportQuery,
  type StoreCreate,
  type StoreSettingsUpdate,
} from '../schemas/merchant.js';
import { Branch } from '../schemas/store.js';
import { ProductAsset } from '../schemas/products.js';
import {
  ProductAssetDeleted,
  ProductAssetList,
  type ImageUploadType,
  type ProductAssetLink,
  type ProductAssetOrder,
  type ProductAssetUpdate,
} from '../schemas/assets.js';
import { list, seg } from './shared.js';

// The merchant side of the API lives in one module so that browser bundles load it as one lazy chunk (shopper pages
// never download it; rollup.config.mjs LAZY_RESOURCES).

/**
 * Stores (`POST /v1/stores`): the platform operator creates a store. The client must be made with the operator
 * credential (`createClient({ baseUrl, operatorToken })`); the answer holds the store's first keys (shown once) and the
 * owner's invitation link.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const operator = createClient({ baseUrl: 'https://api.example.com', operatorToken: process.env.OPERATOR_TOKEN! });
 * const created = await operator.stores.create({ name: 'Northside', ownerEmail: 'owner@example.com' });
 * console.log(created.secretKey, created.owner.invitation.url);
 * ```
 */
export interface StoresResource {
  /** Creates a store, its keys and its invited owner. `ConflictError` `conflict` if the slug is taken. */
  create(body: StoreCreate, options?: RequestOptions): Promise<StoreCreated>;
}

/**
 * Invitations (`POST /v1/invitations/accept`): the invited owner or member sets a password. Needs no key of its own
 * (the signed token is the credential); any client works.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * const { session } = await client.invitations.accept({ token, password: 'a long password' });
 * client.setCustomerToken(session.token);
 * ```
 */
export interface InvitationsResource {
  /** Accepts once; `ValidationError` `invitation_invalid` when expired or forged, `ConflictError` `invitation_used`. */
  accept(body: InvitationAccept, options?: RequestOptions): Promise<InvitationAccepted>;
}

/**
 * Store settings (`/v1/store/settings`, secret key or an owner signed in): name, logo, contact, currency, locale, time
 * zone, refund rule, how drops and rentals are paid, check-in window, notification sender.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', secretKey: process.env.DROPSLOT_SECRET_KEY! });
 * await client.storeSettings.update({ timeZone: 'Europe/Berlin', refundCutoffHours: 48 });
 * ```
 */
export interface StoreSettingsResource {
  retrieve(options?: RequestOptions): Promise<StoreSettings>;
  /** Changes only the fields sent; `ValidationError` names a bad zone, currency, locale or URL. */
  update(body: StoreSettingsUpdate, options?: RequestOptions): Promise<StoreSettings>;
}

/**
 * Branches (`/v1/branches`): read with any key, changed by an owner or the secret key; `hours` gives open days and
 * the pickup/return times a rental may use.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', secretKey: process.env.DROPSLOT_SECRET_KEY! });
 * const branch = await client.branches.create({
 *   name: 'Mitte', timeZone: 'Europe/Berlin', openingHours: { mon: ['10:00-13:00', '14:00-19:00'] },
 * });
 * const { days } = await client.branches.hours(branch.id, { from: '2030-03-04', to: '2030-03-10' });
 * ```
 */
export interface BranchesResource {
  list(query?: ListQuery, options?: RequestOptions): ListPromise<Branch>;
  retrieve(id: string, options?: RequestOptions): Promise<Branch>;
  create(body: BranchCreate, options?: RequestOptions): Promise<Branch>;
  update(id: string, body: BranchUpdate, options?: RequestOptions): Promise<Branch>;
  del(id: string, options?: RequestOptions): Promise<{ id: string; deleted: true }>;
  /** Open days from `from` to `to` (dates in the branch zone) with pickup/return times every `step` minutes. */
  hours(id: string, query: BranchHoursQuery, options?: RequestOptions): Promise<BranchHours>;
}

/**
 * The store's customers (`/v1/customers`, secret key or an owner): search, one with their activity, data export and
 * erasure; `exportMe`/`eraseMe` are the same for the signed-in customer themself.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', secretKey: process.env.DROPSLOT_SECRET_KEY! });
 * for await (const customer of client.storeCustomers.list({ q: 'alex' })) console.log(customer.email);
 * ```
 */
export interface StoreCustomersResource {
  list(query?: CustomerListQuery, options?: RequestOptions): ListPromise<CustomerRecord>;
  retrieve(id: string, options?: RequestOptions): Promise<CustomerDetail>;
  export(id: string, options?: RequestOptions): Promise<CustomerExport>;
  erase(id: string, options?: RequestOptions): Promise<CustomerErased>;
  /** The signed-in customer's own data (`GET /v1/customers/me/export`). */
  exportMe(options?: RequestOptions): Promise<CustomerExport>;
  /** Erases the signed-in customer (`POST /v1/customers/me/erase`); their token stops working. */
  eraseMe(options?: RequestOptions): Promise<CustomerErased>;
}

/**
 * Reports and CSV exports (secret key or an owner).
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', secretKey: process.env.DROPSLOT_SECRET_KEY! });
 * const report = await client.reports.drop(dropId);
 * const csv = await client.reports.exportCsv('reservations'); // a ReadableStream of the file
 * ```
 */
export interface ReportsResource {
  drop(dropId: string, options?: RequestOptions): Promise<DropReport>;
  rentals(query: RentalReportQuery, options?: RequestOptions): Promise<RentalReport>;
  /** The CSV export as a stream of bytes (`GET /v1/exports/{kind}.csv`), read as the server writes it. */
  exportCsv(
    kind: ExportKind,
    query?: ExportQuery,
    options?: Pick<RequestOptions, 'signal'>,
  ): Promise<ReadableStream<Uint8Array>>;
}

/**
 * API keys (`/v1/api-keys`, secret key or an owner): list, create, change, revoke and roll. A key itself is in the
 * answer of `create` and `roll` only (`secret`); lists show its first characters (`prefix`).
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', secretKey: process.env.DROPSLOT_SECRET_KEY! });
 * const widget = await client.apiKeys.create({
 *   kind: 'publishable', label: 'Shop widgets', allowedOrigins: ['https://shop.example'],
 * });
 * // Replace this server's secret key; the old one keeps working for an hour.
 * const rolled = await client.apiKeys.roll(oldKeyId, { expiresPreviousAfter: 3600 });
 * console.log(widget.secret, rolled.secret, rolled.previous.expiresAt);
 * ```
 */
export interface ApiKeysResource {
  list(query?: ListQuery, options?: RequestOptions): ListPromise<ApiKey>;
  retrieve(id: string, options?: RequestOptions): Promise<ApiKey>;
  /** Makes a key; the answer's `secret` is the key itself, shown only now. */
  create(body: ApiKeyCreate, options?: RequestOptions): Promise<ApiKeyWithSecret>;
  /** Changes the label or (publishable keys) the allowed origins. `ConflictError` `api_key_inactive` if revoked or expired. */
  update(id: string, body: ApiKeyUpdate, options?: RequestOptions): Promise<ApiKey>;
  /** Refused at once on every process. `ConflictError` `last_secret_key` for the last secret key: roll it instead. */
  revoke(id: string, options?: RequestOptions): Promise<ApiKey>;
  /**
   * A new key replacing this one (`secret` shown only now); the old one works `expiresPreviousAfter` seconds more
   * (default 86400; 0 stops it now). `ConflictError` `api_key_rolled` if rolled already, `api_key_inactive` if revoked.
   */
  roll(id: string, body?: ApiKeyRoll, options?: RequestOptions): Promise<ApiKeyRolled>;
}

/**
 * The store's team (`/v1/members`, secret key or an owner): members with the `owner` or `staff` role. `invite` sends
 * a signed, expiring link by mail; the invitee accepts with `client.invitations.accept`.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', secretKey: process.env.DROPSLOT_SECRET_KEY! });
 * const sam = await client.members.invite({ email: 'sam@shop.example', name: 'Sam', role: 'staff' });
 * await client.members.update(sam.id, { role: 'owner' });
 * for await (const member of client.members.list()) console.log(member.email, member.role, member.status);
 * ```
 */
export interface MembersResource {
  list(query?: ListQuery, options?: RequestOptions): ListPromise<Member>;
  retrieve(id: string, options?: RequestOptions): Promise<Member>;
  /** Invites (or re-sends to) an e-mail. `ConflictError` `member_exists` if they are a member already. */
  invite(body: MemberInvite, options?: RequestOptions): Promise<MemberInvited>;
  /** Changes the role. `ConflictError` `last_owner` when it would leave the store without an owner. */
  update(id: string, body: MemberUpdate, options?: RequestOptions): Promise<Member>;
  /** Removes from the team, effective at once. `ConflictError` `last_owner` for the last owner. */
  del(id: string, options?: RequestOptions): Promise<MemberRemoved>;
}

/** What to say about an uploaded image (`client.productAssets.upload`). */
export interface ImageUploadParams {
  /** The text alternative: what the image shows. Required. */
  alt: string;
  /** `image/png`, `image/jpeg`, `image/webp` or `image/gif`. @default the Blob's own `type` */
  contentType?: ImageUploadType;
  /** Flag the image as DRM-protected. @default false */
  drmProtected?: boolean;
  /** Where it goes among the product's assets (0 is first). @default last */
  position?: number;
}

/**
 * A product's images, 3D models and AR scenes (`/v1/products/{id}/assets`, `/v1/assets/{id}`). Anyone with a key reads
 * those of active products; uploads and changes need the secret key or an owner. `upload` sends the image itself (PNG,
 * JPEG, WebP or GIF, 5 MiB by default; the server checks its bytes and reads its size); `create` adds an external https
 * URL. The order is the merchant's: the first image is the product's picture.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises';
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', secretKey: process.env.DROPSLOT_SECRET_KEY! });
 * const front = await client.productAssets.upload(productId, await readFile('tee-front.png'), {
 *   contentType: 'image/png',
 *   alt: 'White T-shirt with a red logo, front',
 * });
 * await client.productAssets.create(productId, {
 *   type: '3d', url: 'https://cdn.example/tee.glb', alt: 'White T-shirt, 3D model',
 * });
 * await client.productAssets.update(front.id, { position: 0 });
 * ```
 */
export interface ProductAssetsResource {
  /** The product's assets in position order. `NotFoundError` for an unknown (or, with a publishable key, inactive) product. */
  list(productId: string, query?: ListQuery, options?: RequestOptions): ListPromise<ProductAsset>;
  retrieve(id: string, options?: RequestOptions): Promise<ProductAsset>;
  /**
   * Uploads an image. `ValidationError` `image_invalid` when the bytes are not a whole image of the type (or SVG),
   * `ConflictError` `asset_limit_reached` at 20 assets; a body over the server's limit is a `DropSlotError` with status 413.
   */
  upload(
    productId: string,
    image: Blob | ArrayBuffer | Uint8Array,
    params: ImageUploadParams,
    options?: RequestOptions,
  ): Promise<ProductAsset>;
  /** Adds an external asset by its https URL (never fetched by the server). */
  create(productId: string, body: ProductAssetLink, options?: RequestOptions): Promise<ProductAsset>;
  /** Changes alt text, the DRM flag or the position (the others move to make room). */
  update(id: string, body: ProductAssetUpdate, options?: RequestOptions): Promise<ProductAsset>;
  /** Puts every asset of the product in the order of `assetIds`. */
  order(productId: string, body: ProductAssetOrder, options?: RequestOptions): Promise<ProductAssetList>;
  del(id: string, options?: RequestOptions): Promise<ProductAssetDeleted>;
}

export function productAssetsResource(t: Transport): ProductAssetsResource {
  return {
    list: (productId, query, options) =>
      list(t, `products/${seg(productId)}/assets`, ProductAssetList, query, options),
    retrieve: (id, options) =>
      t.request({ method: 'GET', path: `assets/${seg(id)}`, schema: ProductAsset }, options),
    upload: (productId, image, params, options) => {
      const contentType = params.contentType ?? (image instanceof Blob ? image.type : '');
      if (!contentType) {
        return Promise.reject(
          new TypeError(
            'productAssets.upload: give `contentType` (image/png, image/jpeg, image/webp or image/gif)',
          ),
        );
      }
      return t.request(
        {
          method: 'POST',
          path: `products/${seg(productId)}/assets`,
          query: {
            alt: params.alt,
            drmProtected: params.drmProtected === undefined ? undefined : String(params.drmProtected),
            position: params.position,
          },
          bytes: { data: image, contentType },
          schema: ProductAsset,
        },
        options,
      );
    },
    create: (productId, body, options) =>
      t.request(
        { method: 'POST', path: `products/${seg(productId)}/assets`, body, schema: ProductAsset },
        options,
      ),
    update: (id, body, options) =>
      t.request({ method: 'PATCH', path: `assets/${seg(id)}`, body, schema: ProductAsset }, options),
    order: (productId, body, options) =>
      t.request(
        { method: 'POST', path: `products/${seg(productId)}/assets/order`, body, schema: ProductAssetList },
        options,
      ),
    del: (id, options) =>
      t.request({ method: 'DELETE', path: `assets/${seg(id)}`, schema: ProductAssetDeleted }, options),
  };
}

export function apiKeysResource(t: Transport): ApiKeysResource {
  return {
    list: (query, options) => list(t, 'api-keys', ApiKeyList, query, options),
    retrieve: (id, options) =>
      t.request({ method: 'GET', path: `api-keys/${seg(id)}`, schema: ApiKey }, options),
    create: (body, options) =>
      t.request({ method: 'POST', path: 'api-keys', body, schema: ApiKeyWithSecret }, options),
    update: (id, body, options) =>
      t.request({ method: 'PATCH', path: `api-keys/${seg(id)}`, body, schema: ApiKey }, options),
    revoke: (id, options) =>
      t.request({ method: 'POST', path: `api-keys/${seg(id)}/revoke`, schema: ApiKey }, options),
    roll: (id, body, options) =>
      t.request(
        { method: 'POST', path: `api-keys/${seg(id)}/roll`, body: body ?? {}, schema: ApiKeyRolled },
        options,
      ),
  };
}

export function membersResource(t: Transport): MembersResource {
  return {
    list: (query, options) => list(t, 'members', MemberList, query, options),
    retrieve: (id, options) =>
      t.request({ method: 'GET', path: `members/${seg(id)}`, schema: Member }, options),
    invite: (body, options) =>
      t.request({ method: 'POST', path: 'members/invitations', body, schema: MemberInvited }, options),
    update: (id, body, options) =>
      t.request({ method: 'PATCH', path: `members/${seg(id)}`, body, schema: Member }, options),
    del: (id, options) =>
      t.request({ method: 'DELETE', path: `members/${seg(id)}`, schema: MemberRemoved }, options),
  };
}

export function storesResource(t: Transport): StoresResource {
  return {
    create: (body, options) =>
      t.request({ method: 'POST', path: 'stores', body, schema: StoreCreated }, options),
  };
}

export function invitationsResource(t: Transport): InvitationsResource {
  return {
    accept: (body, options) =>
      t.request({ method: 'POST', path: 'invitations/accept', body, schema: InvitationAccepted }, options),
  };
}

export function storeSettingsResource(t: Transport): StoreSettingsResource {
  return {
    retrieve: (options) =>
      t.request({ method: 'GET', path: 'store/settings', schema: StoreSettings }, options),
    update: (body, options) =>
      t.request({ method: 'PATCH', path: 'store/settings', body, schema: StoreSettings }, options),
  };
}

export function branchesResource(t: Transport): BranchesResource {
  return {
    list: (query, options) => list(t, 'branches', BranchList, query, options),
    retrieve: (id, options) =>
      t.request({ method: 'GET', path: `branches/${seg(id)}`, schema: Branch }, options),
    create: (body, options) => t.request({ method: 'POST', path: 'branches', body, schema: Branch }, options),
    update: (id, body, options) =>
      t.request({ method: 'PATCH', path: `branches/${seg(id)}`, body, schema: Branch }, options),
    del: (id, options) =>
      t.request({ method: 'DELETE', path: `branches/${seg(id)}`, schema: BranchDeleted }, options),
    hours: (id, query, options) =>
      t.request({ method: 'GET', path: `branches/${seg(id)}/hours`, query, schema: BranchHours }, options),
  };
}

export function storeCustomersResource(t: Transport): StoreCustomersResource {
  return {
    list: (query, options) => list(t, 'customers', CustomerList, query, options),
    retrieve: (id, options) =>
      t.request({ method: 'GET', path: `customers/${seg(id)}`, schema: CustomerDetail }, options),
    export: (id, options) =>
      t.request({ method: 'GET', path: `customers/${seg(id)}/export`, schema: CustomerExport }, options),
    erase: (id, options) =>
      t.request({ method: 'POST', path: `customers/${seg(id)}/erase`, schema: CustomerErased }, options),
    exportMe: (options) =>
      t.request({ method: 'GET', path: 'customers/me/export', schema: CustomerExport }, options),
    eraseMe: (options) =>
      t.request({ method: 'POST', path: 'customers/me/erase', schema: CustomerErased }, options),
  };
}

export function reportsResource(t: Transport): ReportsResource {
  return {
    drop: (dropId, options) =>
      t.request({ method: 'GET', path: `reports/drops/${seg(dropId)}`, schema: DropReport }, options),
    rentals: (query, options) =>
      t.request({ method: 'GET', path: 'reports/rentals', query, schema: RentalReport }, options),
    async exportCsv(kind, query = {}, options = {}) {
      const search = new URLSearchParams();
      if (query.from) search.set('from', query.from);
      if (query.to) search.set('to', query.to);
      const qs = search.size > 0 ? `?${search.toString()}` : '';
      const response = await t.stream(
        `exports/${seg(kind)}.csv${qs}`,
        {},
        options.signal ?? new AbortController().signal,
      );
      if (response.ok && response.body) return response.body;
      const text = await response.text();
      let problem: Problem | undefined;
      try {
        const parsed = Problem.safeParse(JSON.parse(text));
        if (parsed.success) problem = parsed.data;
      } catch {
        // Not a problem document: the status alone decides the class.
      }
      throw errorFromStatus(response.status, {
        code: problem?.code,
        requestId: response.headers.get('X-Request-Id') ?? problem?.requestId,
        problem,
      });
    },
  };
}
