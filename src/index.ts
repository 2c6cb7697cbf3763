/**
 * The DropSlot client SDK: a typed client for the DropSlot API (drops, slots, holds, waitlist, QR check-in, rentals), typed
 * errors, live drop updates, a server-synced clock, and Nano Stores for UI.
 *
 * @example
 * ```ts
 * import { createClient } from 'dropslot';
 *
 * const client = createClient({ baseUrl: 'https://api.example.com', publishableKey: 'pk_test_123' });
 * for await (const drop of client.drops.list({ phase: 'live' })) console.log(drop.name);
 * ```
 * @module
 */

// Client
export { createClient } from './client.js';
export type { BaseClientOptions, ClientOptions, DropSlotClient } from './client.js';
export type { FetchLike, ListPromise, RequestOptions } from './core.js';
export type { CheckInsResource } from './resources/check-ins.js';
export type { CustomersResource } from './resources/customers.js';
export type { DropsResource } from './resources/drops.js';
export type { ProductsResource } from './resources/products.js';
export type {
  AvailabilityMonthQuery,
  AvailabilityPeriod,
  LoyaltyResource,
  RentalCategoriesResource,
  RentalHandoversResource,
  PromotionsResource,
  RentalQuotesResource,
  RentalUnitsResource,
  RentalSchedulesResource,
  RentalsResource,
  SubscriptionPlansResource,
} from './resources/rentals.js';
export type { ReservationsResource } from './resources/reservations.js';
export type { SubscriptionsResource } from './resources/subscriptions.js';
export type { InvoicesResource, PaymentsResource } from './resources/payments.js';
export type { SlotsResource } from './resources/slots.js';
export type { StoreResource } from './resources/store.js';
export type { TimeResource } from './resources/time.js';
export type { WaitlistResource } from './resources/waitlist.js';
export type { NotificationsResource } from './resources/notifications.js';
export type { WebhookDeliveriesResource, WebhookEndpointsResource } from './resources/webhook-endpoints.js';
export type { AuditLogsResource } from './resources/audit-logs.js';
export type {
  ApiKeysResource,
  BranchesResource,
  ImageUploadParams,
  InvitationsResource,
  MembersResource,
  ProductAssetsResource,
  ReportsResource,
  StoreCustomersResource,
  StoreSettingsResource,
  StoresResource,
} from './resources/merchant.js';

// Webhooks
export { verifyWebhook, WebhookVerificationError } from './webhooks.js';
export type {
  VerifyWebhookOptions,
  WebhookEvent,
  WebhookHeaders,
  WebhookVerificationReason,
} from './webhooks.js';
export type {
  DropSlotWebhookEvent,
  WebhookEventDataMap,
  WebhookEventName,
} from './schemas/webhook-events.js';

export { formatMoney, minorDigits } from './money.js';

// Errors
export {
  AuthenticationError,
  ConflictError,
  ConnectionError,
  DropSlotError,
  InvalidResponseError,
  NotFoundError,
  RateLimitError,
  ServerError,
  TimeoutError,
  ValidationError,
  isDropSlotError,
} from './errors.js';
export type { DropSlotErrorInit, ErrorCode, ResponseIssue } from './errors.js';

// Live updates
export { subscribeDrop } from './live.js';
export type { DropStreamEvent, DropStreamHandlers, LiveStatus, SubscribeOptions } from './live.js';

// Server clock
export { createServerClock, estimateOffset } from './clock.js';
export type { ClockProbe, OffsetEstimate, ServerClock, ServerClockOptions } from './clock.js';

// Stores
export {
  $now,
  createDropStore,
  createHoldStore,
  createNowStore,
  createWaitlistStore,
  setNowClock,
} from './stores.js';
export { createSessionStore } from './stores/session.js';
export type {
  DropSession,
  DropSessionStatus,
  RentalSession,
  SessionPersistence,
  SessionStore,
  SessionStoreOptions,
  SessionToken,
} from './stores/session.js';
export type {
  DropStore,
  HoldState,
  HoldStatus,
  HoldStore,
  NowStoreOptions,
  WaitlistStatus,
  WaitlistStore,
  WaitlistStoreOptions,
  WaitlistStoreState,
} from './stores.js';

// Contract types (the schemas themselves are in `dropslot/schemas`)
export { ProblemCode } from './schemas/common.js';
export type { ListQuery, Money, PageOf, Problem } from './schemas/common.js';
export type { ServerTime } from './schemas/time.js';
export type { Branch, Store } from './schemas/store.js';
export type { Product, ProductCreate, ProductListQuery, ProductUpdate } from './schemas/products.js';
export type {
  Drop,
  DropCreate,
  DropListQuery,
  DropPhase,
  DropStatus,
  DropUpdate,
  ReservationRule,
} from './schemas/drops.js';
export type { Slot, SlotCreate, SlotUpdate } from './schemas/slots.js';
export type {
  CheckIn,
  CheckInCreate,
  Reservation,
  ReservationCreate,
  ReservationListQuery,
  ReservationState,
} from './schemas/reservations.js';
export type { WaitlistEntry, WaitlistJoin, WaitlistListQuery, WaitlistState } from './schemas/waitlist.js';
export type {
  Customer,
  CustomerSession,
  CustomerSessionCreate,
  SignIn,
  SignUp,
} from './schemas/customers.js';
export type {
  Availability,
  AvailabilityMonth,
  AvailabilityResult,
  Category,
  CategoryTree,
  Handover,
  HandoverCreate,
  Invoice,
  PricingUnit,
  ProductAsset,
  RentalOrder,
  RentalOrderCreate,
  RentalOrderList,
  RentalOrderListQuery,
  RentalOrderStatus,
  RentalTerms,
  LoyaltyAccount,
  SubscriptionPlan,
  SubscriptionPlanList,
  SubscriptionPlanCreate,
  SubscriptionPlanListQuery,
  SubscriptionPlanUpdate,
  Promotion,
  PromotionCreate,
  PromotionList,
  PromotionUpdate,
  CategoryCreate,
  InventoryItem,
  InventoryItemCreate,
  InventoryItemList,
  InventoryItemUpdate,
  RentalTermsInput,
  RentalQuote,
  RentalQuoteLine,
  RentalQuoteRequest,
  RentalSchedule,
  RentalScheduleUpdate,
} from './schemas/rentals.js';
export type {
  MySubscriptionListQuery,
  Subscription,
  SubscriptionCancel,
  SubscriptionCreate,
  SubscriptionList,
  SubscriptionListQuery,
  SubscriptionStatus,
} from './schemas/subscriptions.js';
export type { DropPhaseEvent, SlotCapacityEvent, StreamEventName, StreamSnapshot } from './schemas/stream.js';
export type {
  Notification,
  NotificationList,
  NotificationListQuery,
  NotificationStatus,
  NotificationTemplateName,
} from './schemas/notifications.js';
export type {
  WebhookAttempt,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryListQuery,
  WebhookDeliveryStatus,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointDeleted,
  WebhookEndpointList,
  WebhookEndpointUpdate,
  WebhookEndpointWithSecret,
  WebhookPayload,
  WebhookSecretRotate,
} from './schemas/webhooks.js';
export type { AuditLog, AuditLogList, AuditLogListQuery } from './schemas/audit.js';
export type {
  ApiKey,
  ApiKeyCreate,
  ApiKeyKind,
  ApiKeyList,
  ApiKeyRoll,
  ApiKeyRolled,
  ApiKeyUpdate,
  ApiKeyWithSecret,
  BranchCreate,
  BranchHours,
  BranchHoursQuery,
  BranchList,
  BranchUpdate,
  CheckInWindow,
  CustomerDetail,
  CustomerErased,
  CustomerExport,
  CustomerList,
  CustomerListQuery,
  CustomerRecord,
  DropReport,
  ExportKind,
  ExportQuery,
  Invitation,
  InvitationAccept,
  InvitationAccepted,
  Member,
  MemberInvite,
  MemberInvited,
  MemberList,
  MemberRemoved,
  MemberRole,
  MemberUpdate,
  OpeningException,
  RentalReport,
  RentalReportQuery,
  StoreCreate,
  StoreCreated,
  StoreSettings,
  StoreSettingsUpdate,
} from './schemas/merchant.js';
export type {
  Payment,
  PaymentCreate,
  PaymentError,
  PaymentNextAction,
  PaymentProvider,
  PaymentStatus,
} from './schemas/payments.js';
