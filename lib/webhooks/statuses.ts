// Delivery statuses, shared by the server and the browser (no server imports here).
export const WEBHOOK_STATUSES = ['received', 'processing', 'processed', 'failed', 'ignored', 'unrouted', 'rejected'] as const;
export type WebhookStatus = (typeof WEBHOOK_STATUSES)[number];
