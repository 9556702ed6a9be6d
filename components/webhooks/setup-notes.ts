// What an admin does at each provider so deliveries arrive (README.md, "Webhooks", says the same).
export const SETUP_BY_SCHEME: Record<string, string> = {
  'hubspot-v3':
    'App-level: in your HubSpot developer app, open Webhooks, set this target URL and subscribe to contact and deal creation, property change and deletion. Deliveries are signed with the app’s client secret (HUBSPOT_CLIENT_SECRET).',
  square:
    'App-level: in the Square Developer Dashboard, add a webhook subscription with this notification URL for customer.* and booking.* events, and set its signature key as SQUARE_WEBHOOK_SIGNATURE_KEY.',
  'google-channel':
    'Nothing to do: on connect the app opens a push channel on every calendar, renews it before it expires and stops it on disconnect. Google only posts to public HTTPS, so set PUBLIC_APP_URL.',
};
