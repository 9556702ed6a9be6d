// The OAuth machinery every provider shares: authorize + consent, the token endpoint's code and
// refresh grants (with PKCE), bearer checks and the identity-endpoint knobs. Providers supply
// their dialect: encodings, lifetimes, response and error shapes.
import crypto from 'node:crypto';
import { html, readForm, readJson, redirect, sleep, bearerToken, type Reply, type RequestContext, type Route } from './http';
import { consentPage, errorPage } from './pages';
import { sandboxClient, type ProviderProfile, type SandboxAccount } from './provider';
import type { Grant, GrantType, IssuedToken, SandboxState, TokenCheck } from './state';

export function s256(verifier: string): string {
  return crypto.createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  scopes: string[];
  codeChallenge?: string;
  query: URLSearchParams;
}

export interface AuthorizeConfig {
  /** The provider's profile: its id, name and the accounts its consent page offers. */
  provider: ProviderProfile<string, SandboxAccount>;
  host: string;
  path: string;
  requireResponseType: boolean;
  requirePkce: boolean;
  /** False for a provider that has no scopes (the grant is all or nothing); default true. */
  requireScope?: boolean;
  /** For an authorize URL that carries no code_challenge_method: S256 is implied. */
  challengeMethodOptional?: boolean;
  codeLifetimeSeconds?: number;
  /** Decided at approval: does redeeming the code also yield a refresh token? Default yes (some providers need an offline scope or parameter). */
  offline?(request: AuthorizeRequest, accountId: string, state: SandboxState): boolean;
  /** Parameters the real provider adds to a successful redirect besides code and state. */
  successParams?(request: AuthorizeRequest): Record<string, string>;
}

type Validated = { ok: true; request: AuthorizeRequest } | { ok: false; error: string; description: string };

function validateAuthorize(config: AuthorizeConfig, query: URLSearchParams): Validated {
  const fail = (error: string, description: string): Validated => ({ ok: false, error, description });
  const clientId = query.get('client_id');
  if (!clientId) return fail('invalid_request', 'Missing required parameter: client_id');
  if (clientId !== sandboxClient(config.provider.id).clientId) return fail('invalid_client', `The OAuth client was not found: ${clientId}`);
  const redirectUri = query.get('redirect_uri');
  if (!redirectUri) return fail('invalid_request', 'Missing required parameter: redirect_uri');
  let protocol = '';
  try {
    protocol = new URL(redirectUri).protocol;
  } catch {
    // handled below
  }
  if (protocol !== 'http:' && protocol !== 'https:') return fail('invalid_request', `redirect_uri is not an http(s) URL: ${redirectUri}`);
  if (config.requireResponseType) {
    const responseType = query.get('response_type');
    if (!responseType) return fail('invalid_request', 'Missing required parameter: response_type');
    if (responseType !== 'code') return fail('unsupported_response_type', `Unsupported response_type: ${responseType}`);
  }
  const state = query.get('state');
  if (!state) return fail('invalid_request', 'Missing required parameter: state');
  const scopes = (query.get('scope') ?? '').split(/\s+/).filter(Boolean);
  if (scopes.length === 0 && config.requireScope !== false) return fail('invalid_request', 'Missing required parameter: scope');
  const codeChallenge = query.get('code_challenge') ?? undefined;
  const method = query.get('code_challenge_method');
  if (codeChallenge) {
    if (method !== 'S256' && !(method === null && config.challengeMethodOptional)) {
      return fail('invalid_request', `code_challenge_method must be S256 (got ${method ?? 'none'})`);
    }
    if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) return fail('invalid_request', 'code_challenge is not a base64url SHA-256 digest');
  } else if (method) {
    return fail('invalid_request', 'code_challenge_method was sent without code_challenge');
  } else if (config.requirePkce) {
    return fail('invalid_request', 'Missing required parameter: code_challenge (this client uses the PKCE flow)');
  }
  return { ok: true, request: { clientId, redirectUri, state, scopes, codeChallenge, query } };
}

function withParams(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

function approve(config: AuthorizeConfig, ctx: RequestContext, request: AuthorizeRequest, accountId: string): Reply {
  // The consent may grant less than was asked (the withholdScopes knob); everything downstream
  // (the redirect's scope parameter, token answers, data endpoints) sees the narrower grant.
  const withheld = ctx.state.knobs.withholdScopes?.[config.provider.id] ?? [];
  const granted = { ...request, scopes: request.scopes.filter((scope) => !withheld.includes(scope)) };
  const code = ctx.state.issueCode(
    {
      provider: config.provider.id,
      accountId,
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      scopes: granted.scopes,
      offline: config.offline ? config.offline(request, accountId, ctx.state) : true,
    },
    config.codeLifetimeSeconds ?? 600,
  );
  return redirect(withParams(request.redirectUri, { code, ...config.successParams?.(granted), state: request.state }));
}

/** GET renders consent (or approves at once with autoApprove); POST is the consent form's answer. */
export function authorizeRoutes(config: AuthorizeConfig): Route[] {
  const hosts = [config.host];
  const { provider } = config;
  const defaultAccount = provider.accounts[0].id;
  const refuse = (error: string, description: string) => html(400, errorPage(provider, error, description));
  return [
    {
      method: 'GET',
      hosts,
      path: config.path,
      handle(ctx) {
        const checked = validateAuthorize(config, ctx.query);
        if (!checked.ok) return refuse(checked.error, checked.description);
        if (ctx.state.knobs.autoApprove) return approve(config, ctx, checked.request, defaultAccount);
        const action = `/${config.host}${config.path}?${ctx.rawQuery}`;
        const { scopes, clientId, redirectUri } = checked.request;
        return html(200, consentPage({ provider, action, scopes, clientId, redirectUri }));
      },
    },
    {
      method: 'POST',
      hosts,
      path: config.path,
      handle(ctx) {
        const checked = validateAuthorize(config, ctx.query);
        if (!checked.ok) return refuse(checked.error, checked.description);
        const form = readForm(ctx);
        if (!form.ok) return refuse('invalid_request', form.reason);
        const { decision, account = defaultAccount } = form.value;
        if (decision === 'deny') {
          return redirect(
            withParams(checked.request.redirectUri, {
              error: 'access_denied',
              error_description: 'The user denied access',
              state: checked.request.state,
            }),
          );
        }
        if (decision !== 'allow') return refuse('invalid_request', 'The consent form needs decision=allow or decision=deny');
        if (!provider.accounts.some((a) => a.id === account)) return refuse('invalid_request', `Unknown sandbox account: ${account}`);
        return approve(config, ctx, checked.request, account);
      },
    },
  ];
}

export type TokenErrorKind =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unsupported_grant_type'
  | 'server_error'
  | 'temporarily_unavailable';

export interface IssuedTokens {
  grantType: GrantType;
  grant: Grant;
  access: IssuedToken;
  /** Seconds the access token lives (the knob or the provider's default). */
  expiresIn: number;
  /** Present when this answer carries a refresh token (new, or echoed back). */
  refresh?: { token: string; expiresAt?: number };
}

export interface TokenDialect {
  provider: string;
  encoding: 'form' | 'json';
  /** False for a PKCE flow with a public client: a secret is then optional, but checked when sent. */
  secretRequired: boolean;
  accessTokenSeconds: number;
  refreshTokenSeconds?: number;
  /** Without rotation: does a refresh answer repeat the refresh token, or omit it? */
  refreshEchoesRefreshToken: boolean;
  error(kind: TokenErrorKind, description: string, grantType?: GrantType): Reply;
  success(tokens: IssuedTokens, ctx: RequestContext): Reply;
}

/** Undefined when absent; null when present but not a string (JSON bodies). */
function field(params: Record<string, unknown>, name: string): string | undefined | null {
  const value = params[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : null;
}

export function tokenRoute(hosts: string[], path: string, dialect: TokenDialect): Route {
  return { method: 'POST', hosts, path, handle: (ctx) => handleToken(ctx, dialect) };
}

async function handleToken(ctx: RequestContext, dialect: TokenDialect): Promise<Reply> {
  const { state } = ctx;
  const { provider } = dialect;
  if (state.knobs.tokenDelayMs) await sleep(state.knobs.tokenDelayMs);
  const parsed = dialect.encoding === 'form' ? readForm(ctx) : readJson(ctx);
  if (!parsed.ok) return dialect.error('invalid_request', parsed.reason);
  const params = parsed.value;
  const names = ['grant_type', 'client_id', 'client_secret', 'code', 'redirect_uri', 'code_verifier', 'refresh_token'];
  const bad = names.find((name) => field(params, name) === null);
  if (bad) return dialect.error('invalid_request', `${bad} must be a string`);
  const get = (name: string) => field(params, name) ?? undefined;

  const grantType = get('grant_type');
  if (!grantType) return dialect.error('invalid_request', 'Missing required parameter: grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    return dialect.error('unsupported_grant_type', `Unsupported grant_type: ${grantType}`);
  }
  state.countTokenRequest(provider, grantType);
  const failure = state.takeFailure(provider);
  if (failure) return dialect.error(failure, `Failure forced by the sandbox knob failNextToken (${failure})`, grantType);

  const client = sandboxClient(provider);
  const secret = get('client_secret');
  const secretOk = dialect.secretRequired ? secret === client.clientSecret : secret === undefined || secret === client.clientSecret;
  if (get('client_id') !== client.clientId || !secretOk) {
    return dialect.error('invalid_client', 'The OAuth client was not found or its secret is wrong.', grantType);
  }

  const now = Date.now();
  const ttl = state.accessTokenTtl(dialect.accessTokenSeconds);
  const refreshLifetime = dialect.refreshTokenSeconds;
  const invalid = (description: string) => dialect.error('invalid_grant', description, grantType);

  if (grantType === 'authorization_code') {
    const value = get('code');
    if (!value) return dialect.error('invalid_request', 'Missing required parameter: code', grantType);
    const code = state.codes.get(value);
    if (!code || code.provider !== provider) return invalid('Malformed or unknown authorization code.');
    if (code.grantId) {
      // RFC 6749 §4.1.2: a code used twice may mean it leaked; revoke what it already bought.
      state.revokeGrant(code.grantId);
      return invalid('The authorization code was already used; the tokens issued for it are now revoked.');
    }
    if (now >= code.expiresAt) return invalid('The authorization code has expired.');
    if (code.clientId !== client.clientId) return invalid('The authorization code was issued to another client.');
    if (get('redirect_uri') !== code.redirectUri) return invalid('redirect_uri does not match the authorization request.');
    if (code.codeChallenge) {
      const verifier = get('code_verifier');
      if (!verifier) return invalid('Missing code verifier.');
      if (!VERIFIER.test(verifier) || s256(verifier) !== code.codeChallenge) return invalid('Invalid code verifier.');
    }
    const grant = state.createGrant({
      provider,
      accountId: code.accountId,
      clientId: code.clientId,
      scopes: code.scopes,
      offline: code.offline,
    });
    code.grantId = grant.id;
    const access = state.mint(grant, 'access', ttl);
    const refresh = grant.offline ? state.mint(grant, 'refresh', refreshLifetime) : undefined;
    return dialect.success(
      { grantType, grant, access, expiresIn: ttl, refresh: refresh && { token: refresh.token, expiresAt: refresh.expiresAt } },
      ctx,
    );
  }

  const value = get('refresh_token');
  if (!value) return dialect.error('invalid_request', 'Missing required parameter: refresh_token', grantType);
  const checked = state.check(value, provider, 'refresh');
  if (!checked.ok) return invalid(`The refresh token is ${checked.reason === 'unknown' ? 'unknown' : checked.reason}.`);
  if (checked.grant.clientId !== client.clientId) return invalid('The refresh token was issued to another client.');
  const access = state.mint(checked.grant, 'access', ttl);
  let refresh: IssuedTokens['refresh'];
  if (state.rotates(provider)) {
    checked.token.revoked = true;
    const next = state.mint(checked.grant, 'refresh', refreshLifetime);
    refresh = { token: next.token, expiresAt: next.expiresAt };
  } else if (dialect.refreshEchoesRefreshToken) {
    refresh = { token: checked.token.token, expiresAt: checked.token.expiresAt };
  }
  return dialect.success({ grantType, grant: checked.grant, access, expiresIn: ttl, refresh }, ctx);
}

export type BearerCheck = TokenCheck | { ok: false; reason: 'missing' };

export function authenticate(ctx: RequestContext, provider: string): BearerCheck {
  const token = bearerToken(ctx);
  if (!token) return { ok: false, reason: 'missing' };
  return ctx.state.check(token, provider, 'access');
}

/** Counts the identity request and applies the identityStatus knob before the real handler runs. */
export function identityHandler(
  provider: string,
  forced: (status: number) => Reply,
  handle: (ctx: RequestContext) => Reply,
): (ctx: RequestContext) => Reply {
  return (ctx) => {
    ctx.state.countIdentityRequest(provider);
    const status = ctx.state.forcedIdentityStatus(provider);
    return status === undefined ? handle(ctx) : forced(status);
  };
}

/** The token's own grant; for revocation endpoints that accept either kind of token. */
export function findToken(ctx: RequestContext, provider: string, value: string | undefined): { token: IssuedToken; grant: Grant } | undefined {
  const token = value ? ctx.state.tokens.get(value) : undefined;
  const grant = token ? ctx.state.grants.get(token.grantId) : undefined;
  return token && grant && grant.provider === provider ? { token, grant } : undefined;
}

/** Revokes one token; a refresh token (or any token when `wholeGrant`) takes its whole grant with it. */
export function revokeToken(state: SandboxState, found: { token: IssuedToken; grant: Grant }, wholeGrant = false): void {
  if (wholeGrant || found.token.kind === 'refresh') state.revokeGrant(found.grant.id);
  else found.token.revoked = true;
}

/** Whole seconds left on a token (0 once expired). */
export function secondsLeft(token: IssuedToken): number | undefined {
  return token.expiresAt === undefined ? undefined : Math.max(0, Math.floor((token.expiresAt - Date.now()) / 1000));
}
