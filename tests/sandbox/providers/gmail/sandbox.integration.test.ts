// The Gmail sandbox speaks Gmail's shapes (https://developers.google.com/workspace/gmail/api/reference/rest):
// messages.list answers ids only, messages.get format=metadata only the asked headers (no body),
// history.list filters by historyTypes and answers 404 for a history id it no longer has; the
// shared Google OAuth endpoints tell Gmail's client from Google Calendar's; Gmail's pushes parse.
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { parseDeliveries } from '@/lib/providers/gmail/webhooks';
import { issueAccessToken } from '../../server';
import { sandboxSuite } from '../../../support/sandbox-suite';
import { PROFILE } from './accounts';

const suite = sandboxSuite();
const API = 'gmail.googleapis.com/gmail/v1/users/me';

async function gmail(path: string, token = issueAccessToken(suite.sandbox, { provider: 'gmail' })) {
  const response = await fetch(`${suite.sandbox.url}/${API}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('Gmail sandbox shapes', () => {
  it('lists ids only, pages with pageToken, and gets metadata with just the asked headers', async () => {
    suite.sandbox.setKnobs({ dataset: { 'gmail.messages': 7 } });
    const first = await gmail('/messages?maxResults=5');
    expect(first.status).toBe(200);
    expect(Object.keys(first.body.messages[0]).sort()).toEqual(['id', 'threadId']);
    expect(first.body.nextPageToken).toEqual(expect.any(String));
    const second = await gmail(`/messages?maxResults=5&pageToken=${first.body.nextPageToken}`);
    expect(second.body.messages).toHaveLength(2);
    expect(second.body.nextPageToken).toBeUndefined();

    const id = first.body.messages[1].id as string;
    const meta = await gmail(`/messages/${id}?format=metadata&metadataHeaders=Subject&metadataHeaders=From`);
    expect(meta.body).toMatchObject({ id, threadId: first.body.messages[0].id, snippet: expect.any(String), internalDate: expect.stringMatching(/^\d+$/) });
    expect(meta.body.payload.headers.map((h: { name: string }) => h.name).sort()).toEqual(['From', 'Subject']);
    expect(meta.body.payload.body).toBeUndefined();
    const full = await gmail(`/messages/${id}?format=full`);
    // Generated mail is multipart/alternative: the bodies are in the parts, base64url.
    expect(full.body.payload.mimeType).toBe('multipart/alternative');
    expect(full.body.payload.parts.map((p: { mimeType: string }) => p.mimeType)).toEqual(['text/plain', 'text/html']);
    expect(Buffer.from(full.body.payload.parts[0].body.data as string, 'base64url').toString('utf8')).toBe(full.body.snippet);
    expect((await gmail('/messages/ffffffffffffffff')).status).toBe(404);
    // Without a Gmail scope (a Calendar token), nothing.
    expect((await gmail('/messages', issueAccessToken(suite.sandbox, { provider: 'google-calendar' }))).status).toBe(401);
  });

  it('replays history from a history id with historyTypes, and answers 404 when it is too old', async () => {
    suite.sandbox.setKnobs({ dataset: { 'gmail.messages': 9 } });
    const { body: profile } = await gmail('/profile');
    expect(profile).toMatchObject({ emailAddress: PROFILE.accounts[0].email, messagesTotal: 9, historyId: expect.stringMatching(/^\d+$/) });
    const changed = await fetch(`${suite.sandbox.url}/_sandbox/data`, { method: 'POST', body: JSON.stringify({ provider: 'gmail', resource: 'messages', create: 1, update: 1, delete: 1 }) });
    expect(changed.status).toBe(200);

    const all = await gmail(`/history?startHistoryId=${profile.historyId}`);
    const kinds = (all.body.history as Record<string, unknown>[]).map((h) => Object.keys(h).find((k) => k !== 'id' && k !== 'messages')).sort();
    expect(kinds).toEqual(['labelsAdded', 'messagesAdded', 'messagesDeleted']);
    expect(Number(all.body.historyId)).toBeGreaterThan(Number(profile.historyId));
    const added = await gmail(`/history?startHistoryId=${profile.historyId}&historyTypes=messageAdded`);
    expect(added.body.history).toHaveLength(1);
    expect(added.body.history[0].messagesAdded[0].message).toMatchObject({ id: expect.any(String), threadId: expect.any(String), labelIds: expect.any(Array) });
    expect((await gmail(`/history?startHistoryId=${profile.historyId}&historyTypes=bogus`)).status).toBe(400);

    suite.sandbox.setKnobs({ expireSyncTokens: true });
    const gone = await gmail(`/history?startHistoryId=${profile.historyId}`);
    suite.sandbox.setKnobs({ expireSyncTokens: null });
    expect(gone).toMatchObject({ status: 404, body: { error: { code: 404, status: 'NOT_FOUND' } } });
  });

  it("routes Google's shared OAuth endpoints by client id", async () => {
    const authorize = (clientId: string) =>
      fetch(`${suite.sandbox.url}/accounts.google.com/o/oauth2/v2/auth?${new URLSearchParams({ client_id: clientId, redirect_uri: 'http://localhost/cb', response_type: 'code', state: 's', scope: 'x' })}`, {
        redirect: 'manual',
      });
    for (const client of ['sandbox-gmail', 'sandbox-google-calendar']) expect([200, 302], client).toContain((await authorize(client)).status);
    expect((await authorize('sandbox-nobody')).status).toBe(400);
    // Gmail's client reaches Gmail's token route (Calendar's would answer invalid_client): an unknown refresh token is invalid_grant.
    const token = await fetch(`${suite.sandbox.url}/oauth2.googleapis.com/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'sandbox-gmail', client_secret: 'sandbox-secret-gmail', refresh_token: 'unknown' }).toString(),
    });
    expect(await token.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('Gmail push parsing', () => {
  const envelope = (data: unknown) => ({
    message: { data: Buffer.from(JSON.stringify(data)).toString('base64'), messageId: '2070443601311540', publishTime: '2027-03-01T09:00:00.000Z' },
    subscription: 'projects/p/subscriptions/s',
  });

  it('reads the email address and history id out of message.data', () => {
    // Shaped as the example notification in https://developers.google.com/workspace/gmail/api/guides/push#receiving_notifications (values not verified byte for byte)
    const [delivery] = parseDeliveries({ body: envelope({ emailAddress: 'user@example.com', historyId: '9876543210' }), headers: new Headers() });
    expect(delivery).toMatchObject({
      eventId: '2070443601311540',
      accountId: 'user@example.com',
      resource: 'messages',
      change: { kind: 'sync' },
      occurredAt: '2027-03-01T09:00:00.000Z',
      details: { historyId: '9876543210', subscription: 'projects/p/subscriptions/s' },
    });
  });

  it('refuses what is not a Gmail notification', () => {
    expect(() => parseDeliveries({ body: envelope({ hello: 'world' }), headers: new Headers() })).toThrow(ZodError);
    expect(() => parseDeliveries({ body: { message: { data: '!!!' } }, headers: new Headers() })).toThrow(ZodError);
    expect(() => parseDeliveries({ body: {}, headers: new Headers() })).toThrow(ZodError);
  });
});
