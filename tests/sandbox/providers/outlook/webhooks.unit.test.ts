// Outlook's webhook pieces without a server: Graph's validation handshake, the clientState check
// (Graph's published example notification, a notification built here, tampering), and what a
// delivery means (changes → sync, lifecycle events → renew the channel or sync; clientState never stored).
import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { outlookWebhooks, parseNotifications, validationHandshake } from '@/lib/providers/outlook/webhooks';
import { verifyWebhook } from '@/lib/webhooks/verify';

const NOW = new Date('2027-03-01T09:00:00Z');
const { deliveries } = outlookWebhooks;
if (deliveries.kind !== 'channel') throw new Error('Outlook deliveries are push channels');
const check = (body: string, secret: string) => verifyWebhook(deliveries.verify, { rawBody: body, headers: {}, secret, now: NOW });

/**
 * The change notification Microsoft publishes in "Receive change notifications through webhooks"
 * (learn.microsoft.com/graph/change-notifications-delivery-webhooks#change-notification-example;
 * github.com/microsoftgraph/microsoft-graph-docs-contrib, concepts/change-notifications-delivery-webhooks.md),
 * byte for byte; its subscription was created with clientState "secretClientValue".
 */
const PUBLISHED = `{
  "value": [
    {
      "id": "lsgTZMr9KwAAA",
      "subscriptionId":"{subscription_guid}",
      "subscriptionExpirationDateTime":"2016-03-19T22:11:09.952Z",
      "clientState":"secretClientValue",
      "changeType":"created",
      "resource":"users/{user_guid}@{tenant_guid}/messages/{long_id_string}",
      "tenantId": "84bd8158-6d4d-4958-8b9f-9d6445542f95",
      "resourceData":
      {
        "@odata.type":"#Microsoft.Graph.Message",
        "@odata.id":"Users/{user_guid}@{tenant_guid}/Messages/{long_id_string}",
        "@odata.etag":"W/\\"CQAAABYAAADkrWGo7bouTKlsgTZMr9KwAAAUWRHf\\"",
        "id":"{long_id_string}"
      }
    }
  ]
}`;

function notification(clientState: string | undefined, extra: Record<string, unknown> = {}) {
  return {
    subscriptionId: 'b6bb2b4c-16f0-4a4e-9c1b-5d2f8a3e7c10',
    subscriptionExpirationDateTime: '2027-03-03T09:00:00Z',
    changeType: 'updated',
    resource: 'Users/6f1c/Events/AAMkEvt1',
    resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.etag': 'W/"DwAAABYAAA"', id: 'AAMkEvt1' },
    ...(clientState === undefined ? {} : { clientState }),
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    ...extra,
  };
}

describe('Graph validation handshake', () => {
  it('echoes the URL-decoded token as text/plain with 200', async () => {
    const token = 'Validation: Testing client application reachability for subscription Request-Id: 9f6b…';
    const request = new Request(`https://hub.example/api/webhooks/outlook?channel=abc&validationToken=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
    const answer = validationHandshake(request)!;
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await answer.text()).toBe(token);
  });

  it('is no handshake without a validationToken (or for another method), and refuses markup or overlong tokens', async () => {
    expect(validationHandshake(new Request('https://hub.example/api/webhooks/outlook?channel=x', { method: 'POST', body: '{}' }))).toBeNull();
    expect(validationHandshake(new Request('https://hub.example/api/webhooks/outlook?validationToken=t', { method: 'GET' }))).toBeNull();
    for (const token of ['<script>alert(1)</script>', 'x'.repeat(3000), '']) {
      const answer = validationHandshake(new Request(`https://hub.example/api/webhooks/outlook?validationToken=${encodeURIComponent(token)}`, { method: 'POST' }))!;
      expect(answer.status).toBe(400);
      expect(await answer.text()).not.toContain('<script>');
    }
  });
});

describe('Graph clientState check', () => {
  it('accepts Microsoft’s published example with its clientState, and refuses it with another', () => {
    expect(check(PUBLISHED, 'secretClientValue')).toEqual({ ok: true });
    expect(check(PUBLISHED, 'secretClientValuf')).toEqual({ ok: false, reason: 'clientState does not match the subscription' });
  });

  it('accepts a batch built here whose every item carries the channel’s token', () => {
    const secret = crypto.randomBytes(32).toString('base64url');
    const body = JSON.stringify({ value: [notification(secret), notification(secret, { changeType: 'deleted' })] });
    expect(check(body, secret)).toEqual({ ok: true });
  });

  it('refuses a changed, missing or partly wrong clientState, and bodies that are not notifications', () => {
    const secret = crypto.randomBytes(32).toString('base64url');
    const tampered = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
    expect(check(JSON.stringify({ value: [notification(tampered)] }), secret).ok).toBe(false);
    expect(check(JSON.stringify({ value: [notification(undefined)] }), secret)).toEqual({ ok: false, reason: 'a notification carries no clientState' });
    expect(check(JSON.stringify({ value: [notification(secret), notification('someone else')] }), secret).ok).toBe(false);
    expect(check(JSON.stringify({ value: [] }), secret).ok).toBe(false);
    expect(check('not json', secret).ok).toBe(false);
    // A prefix or an extension of the token is as wrong as any other value.
    expect(check(JSON.stringify({ value: [notification(secret.slice(0, 20))] }), secret).ok).toBe(false);
    expect(check(JSON.stringify({ value: [notification(`${secret}x`)] }), secret).ok).toBe(false);
  });
});

describe('what a notification means', () => {
  it('turns changes into one incremental sync each, keyed by Graph’s id or the item itself', () => {
    const [withId] = parseNotifications({ body: JSON.parse(PUBLISHED), headers: new Headers() });
    expect(withId).toMatchObject({ eventId: 'lsgTZMr9KwAAA', eventType: 'created', accountId: '{subscription_guid}', resource: 'events', change: { kind: 'sync' } });
    const a = parseNotifications({ body: { value: [notification('s')] }, headers: new Headers() })[0];
    const b = parseNotifications({ body: { value: [notification('s', { resourceData: { id: 'AAMkEvt1', '@odata.etag': 'W/"other"' } })] }, headers: new Headers() })[0];
    expect(a.change).toEqual({ kind: 'sync' });
    expect(a.eventId).not.toBe(b.eventId);
  });

  it('asks to renew the channel on reauthorizationRequired and subscriptionRemoved, and to sync on missed', () => {
    const lifecycle = (event: string) =>
      parseNotifications({ body: { value: [{ subscriptionId: 'sub-1', clientState: 's', lifecycleEvent: event, subscriptionExpirationDateTime: '2027-03-03T09:00:00Z' }] }, headers: new Headers() })[0];
    expect(lifecycle('reauthorizationRequired')).toMatchObject({ eventType: 'reauthorizationRequired', change: { kind: 'renew', channelRef: 'sub-1' } });
    expect(lifecycle('subscriptionRemoved')).toMatchObject({ change: { kind: 'renew', channelRef: 'sub-1' } });
    expect(lifecycle('missed')).toMatchObject({ change: { kind: 'sync' } });
    expect(lifecycle('somethingNew')).toMatchObject({ change: { kind: 'none' } });
  });

  it('stores the body without clientState, and reads the stored payload back the same way', () => {
    const body = { value: [notification('the-secret')] };
    const stored = outlookWebhooks.deliveries.kind === 'channel' ? outlookWebhooks.deliveries.storedPayload(new Headers(), body) : null;
    expect(JSON.stringify(stored)).not.toContain('the-secret');
    expect(outlookWebhooks.reparse!(stored)).toEqual(parseNotifications({ body, headers: new Headers() }));
  });

  it('stores each notification of a batch on its own, so a lifecycle event batched with a change reads back as itself', () => {
    const body = {
      value: [notification('the-secret'), { subscriptionId: 'sub-2', clientState: 'the-secret', lifecycleEvent: 'subscriptionRemoved' }],
    };
    const events = parseNotifications({ body, headers: new Headers() });
    const payloads = outlookWebhooks.payloadsOf!(body, events);
    expect(payloads).toHaveLength(2);
    expect(JSON.stringify(payloads)).not.toContain('the-secret');
    expect(payloads.map((payload) => outlookWebhooks.reparse!(payload))).toEqual([[events[0]], [events[1]]]);
    expect(events[1].change).toEqual({ kind: 'renew', channelRef: 'sub-2' });
  });

  it('names the channel by the query parameter of the URL Graph was given', () => {
    const deliveries = outlookWebhooks.deliveries;
    if (deliveries.kind !== 'channel') throw new Error('expected channel deliveries');
    const id = crypto.randomUUID();
    expect(deliveries.channelIdOf(new Headers(), new URL(`https://hub.example/api/webhooks/outlook?channel=${id}`))).toBe(id);
    expect(deliveries.channelIdOf(new Headers(), new URL('https://hub.example/api/webhooks/outlook'))).toBeNull();
  });
});
