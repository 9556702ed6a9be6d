// HubSpot's OAuth dialect: its authorize URL, token request and token response.
// (Moved from tests/unit/providers.test.ts.)
import { describe, expect, it } from 'vitest';
import { authorizeParams, grant, parseTokens, tokenRequest } from '@/tests/support/oauth-dialect';

const parse = parseTokens;

describe('authorize URLs', () => {
  it('HubSpot: its own host and scopes', () => {
    expect(authorizeParams('hubspot')).toMatchObject({
      origin: 'https://app.hubspot.com/oauth/authorize',
      params: { scope: 'oauth crm.objects.contacts.read crm.objects.contacts.write crm.objects.deals.read' },
    });
  });
});

describe('token requests', () => {
  it('form-encodes with the client secret in the body for HubSpot', () => {
    const request = tokenRequest('hubspot');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({ client_id: 'client-123', client_secret: 'secret-456', ...grant });
    expect(request.url).toBe('https://api.hubapi.com/oauth/2026-03/token');
  });
});

describe('token responses', () => {
  it('HubSpot: 30-minute tokens', () => {
    expect(parse('hubspot', { access_token: 'a', refresh_token: 'r', expires_in: 1800 }).expiresAt).toBe('2026-11-22T12:30:00.000Z');
  });
});
