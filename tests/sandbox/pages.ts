// The two HTML pages a browser sees: the consent page and the authorize error page. Inline CSS,
// no external assets, so the demo works offline.
import { escapeHtml } from './http';
import type { ProviderProfile, SandboxAccount } from './provider';

const STYLE = `
  *{box-sizing:border-box}
  body{margin:0;min-height:100vh;display:grid;place-items:center;background:#f4f5f7;color:#1f2328;
    font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
  main{width:min(440px,92vw);background:#fff;border:1px solid #d8dbe0;border-radius:12px;padding:28px;
    box-shadow:0 4px 16px rgba(0,0,0,.06)}
  h1{font-size:20px;margin:0 0 4px}
  .badge{display:inline-block;font-size:12px;color:#6b5900;background:#fff4c2;border-radius:999px;padding:1px 8px;margin-bottom:14px}
  p{margin:8px 0}
  ul{margin:6px 0 18px;padding-left:20px}
  li{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px;word-break:break-all}
  label{display:block;font-weight:600;margin:0 0 6px}
  select{width:100%;padding:8px;border:1px solid #c4c8cf;border-radius:8px;font:inherit;background:#fff}
  .actions{display:flex;gap:10px;margin-top:22px}
  button{flex:1;padding:10px;border-radius:8px;font:inherit;font-weight:600;cursor:pointer;border:1px solid #c4c8cf;background:#fff}
  button.allow{background:#1f6feb;border-color:#1f6feb;color:#fff}
  .muted{color:#59636e;font-size:13px}
  code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px}
`;

function page(title: string, content: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${content}</main></body></html>`;
}

export interface ConsentPageInput {
  provider: ProviderProfile<string, SandboxAccount>;
  /** Where the form posts: the sandbox path of this authorize endpoint with the original query. */
  action: string;
  scopes: string[];
  clientId: string;
  redirectUri: string;
}

export function consentPage(input: ConsentPageInput): string {
  const { name } = input.provider;
  const options = input.provider.accounts
    .map((account, i) => `<option value="${escapeHtml(account.id)}"${i === 0 ? ' selected' : ''}>${escapeHtml(input.provider.label(account))}</option>`)
    .join('');
  const scopes = input.scopes.map((scope) => `<li>${escapeHtml(scope)}</li>`).join('');
  return page(
    `${name} (sandbox)`,
    `<h1>${escapeHtml(name)} (sandbox)</h1><span class="badge">Provider sandbox: no real account is used</span>
<p>Integration Hub wants to:</p><ul>${scopes}</ul>
<form method="post" action="${escapeHtml(input.action)}">
<label for="account">Account</label>
<select id="account" name="account">${options}</select>
<p class="muted">Client <code>${escapeHtml(input.clientId)}</code> will return to <code>${escapeHtml(input.redirectUri)}</code>.</p>
<div class="actions"><button type="submit" name="decision" value="deny">Deny</button>
<button class="allow" type="submit" name="decision" value="allow">Allow</button></div>
</form>`,
  );
}

export function errorPage(provider: ProviderProfile<string, SandboxAccount>, error: string, description: string): string {
  const { name } = provider;
  return page(
    `${name} (sandbox): ${error}`,
    `<h1>${escapeHtml(name)} (sandbox)</h1><span class="badge">Authorization request refused</span>
<p><strong>Error: <code>${escapeHtml(error)}</code></strong></p><p>${escapeHtml(description)}</p>
<p class="muted">The sandbox does not redirect invalid requests, as real providers do not redirect to a URI they have not verified.</p>`,
  );
}
