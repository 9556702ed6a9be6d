// GitHub. Facts: shared/providers.md (GitHub rows) and
// https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps
// (github.com/login/oauth/authorize → /login/oauth/access_token, parameters in the body, JSON only
// with Accept: application/json, PKCE S256 accepted since 2025-07, refusals answered with 200 and an
// `error` field, scopes comma-separated in the answer), and
// https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens
// (GitHub App user tokens: expires_in 8 h, refresh_token 6 months, every refresh rotates it).
// OAuth App tokens carry no expiry and no refresh token: both kinds are stored as they come.
// Revocation: DELETE /applications/{client_id}/grant with Basic client credentials
// (https://docs.github.com/en/rest/apps/oauth-applications#delete-an-app-authorization).
import { z } from 'zod';
import { ReauthorizationRequiredError } from '../errors';
import { parseStandardTokenResponse } from '../token-parsing';
import type { ProviderDefinition, SelectionOption } from '../types';
import { githubActions } from './actions';
import { API, describeGithubError, github as githubApi, githubUser, nextLink, PAGE_SIZE, repository, WEB } from './api';
import { defaultMappings } from './mappings';
import { commits, issues, repositories } from './resources';
import { githubWebhooks } from './webhooks';

const GITHUB_HOSTS = new Set([new URL(API).host, new URL(WEB).host]);
/** Repositories one connection may choose: each is a webhook and a few requests per sync. */
export const MAX_CHOSEN_REPOSITORIES = 100;
/** Pages of /user/repos read to offer the choice (100 each). */
const MAX_OPTION_PAGES = 10;

const tokenError = z.object({ error: z.string().min(1), error_description: z.string().optional() }).passthrough();

export const github: ProviderDefinition = {
  id: 'github',
  name: 'GitHub',
  category: 'Developer',
  description: 'Repositories, and the issues, pull requests and commits of the ones you choose, kept fresh by repository webhooks; open issues and comment.',
  color: '#24292f',
  initials: 'GH',
  capabilities: [
    'OAuth 2.0 with PKCE',
    'Expiring user tokens with rotating refresh, or non-expiring tokens',
    'Incremental sync with conditional requests (ETags)',
    'Signed repository webhooks',
    'Create issues, comment, list open issues and pull requests',
  ],
  resources: [repositories, issues, commits],
  defaultMappings,
  webhooks: githubWebhooks,
  actions: githubActions,
  describeError: describeGithubError,
  docsUrl: 'https://docs.github.com/en/rest',
  auth: {
    kind: 'oauth2',
    authorizeUrl: `${WEB}/login/oauth/authorize`,
    tokenUrl: `${WEB}/login/oauth/access_token`,
    tokenRequestEncoding: 'form',
    pkce: true,
    clientSecretOnTokenRequests: true,
    // repo: issues, pull requests, commits and repository webhooks of public and private
    // repositories; read:user: GET /user. (GitHub Apps ignore scopes: their permissions decide.)
    scopes: ['repo', 'read:user'],
    scopeSeparator: ' ',
    refreshTokenRotates: true,
    parseTokenResponse(body, now, previous) {
      // GitHub answers a refused code or refresh token with 200 and an error field.
      const refused = tokenError.safeParse(body);
      if (refused.success) throw new ReauthorizationRequiredError(`${refused.data.error}: ${refused.data.error_description ?? 'GitHub refused the grant'}`);
      return parseStandardTokenResponse(body, now, previous, ',');
    },
  },
  allowedHosts: (host) => GITHUB_HOSTS.has(host),
  async identify(client) {
    const response = await githubApi(client, '/user');
    const user = githubUser.parse(response.body);
    // OAuth App tokens list their scopes in X-OAuth-Scopes; GitHub App tokens have none (permissions instead).
    const scopes = response.headers.get('x-oauth-scopes');
    return {
      accountId: String(user.id),
      accountLabel: user.name ? `${user.name} (@${user.login})` : `@${user.login}`,
      details: { login: user.login, ...(user.email ? { email: user.email } : {}) },
      ...(scopes !== null ? { grantedScopes: scopes.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
    };
  },
  async revoke(client) {
    const { clientId, clientSecret } = client.credentials;
    await client.request(`${API}/applications/${encodeURIComponent(clientId)}/grant`, {
      method: 'DELETE',
      bearer: false,
      headers: { accept: 'application/vnd.github+json', authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
      json: { access_token: client.tokens.accessToken },
    });
  },
  selection: {
    label: 'repositories',
    description: 'Issues, pull requests and commits sync, and webhooks are created, only for the repositories you choose.',
    max: MAX_CHOSEN_REPOSITORIES,
    async options(client) {
      const options: SelectionOption[] = [];
      let url: string | null = `/user/repos?${new URLSearchParams({ sort: 'full_name', per_page: String(PAGE_SIZE) })}`;
      for (let page = 0; url && page < MAX_OPTION_PAGES; page++) {
        const response = await githubApi(client, url);
        for (const repo of z.array(repository).parse(response.body)) {
          const detail = [repo.private ? 'private' : 'public', repo.description].filter(Boolean).join(' · ');
          options.push({ id: repo.full_name, label: repo.full_name, detail });
        }
        url = nextLink(response.headers.get('link'));
      }
      return options;
    },
  },
};
