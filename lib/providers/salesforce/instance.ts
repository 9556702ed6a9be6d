// Salesforce answers with the org's own API host (instance_url). It comes from the network, so
// it may only ever point at Salesforce (SSRF).
import { toRealUrl, type Environment } from '../environment';
import { ProviderProtocolError } from '../errors';

// Salesforce's own API hosts, and nothing a customer can put content on: the generic login hosts,
// My Domain hosts (every enhanced-domain format ends in .my.salesforce.com: production
// `acme.my.salesforce.com`, sandboxes `acme--uat.sandbox.my.salesforce.com`, Developer Edition
// `acme-dev-ed.develop.my.salesforce.com`, scratch, demo, patch, Trailhead playgrounds, and the
// pre-enhanced `acme--uat.cs42.my.salesforce.com`) and the legacy instance hosts (`na1`, `cs42`,
// `eu5`, `usa2s`). Refused on purpose: `*.force.com` (Lightning UI, Visualforce, Experience Cloud
// and Sites pages, which serve a customer's own code), `*.salesforce-sites.com`, `*.my.site.com`,
// `*.cloudforce.com`, and any other *.salesforce.com host (help, trailhead, status pages).
const LOGIN_HOSTS = new Set(['login.salesforce.com', 'test.salesforce.com']);
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const MY_DOMAIN = new RegExp(`^(?:${LABEL}\\.)+my\\.salesforce\\.com$`);
const LEGACY_INSTANCE = /^[a-z]{2,4}[0-9]{1,3}s?\.salesforce\.com$/;

/** Salesforce-owned API hosts only: instance_url comes from the network and must not steer us elsewhere. */
export function isSalesforceHost(host: string): boolean {
  const name = host.toLowerCase();
  return LOGIN_HOSTS.has(name) || MY_DOMAIN.test(name) || LEGACY_INSTANCE.test(name);
}

/** Validates instance_url (as received, so sandbox-prefixed in the sandbox) and returns the real origin. */
export function checkedInstanceUrl(instanceUrl: string, environment: Environment): string {
  const real = new URL(toRealUrl(instanceUrl, environment));
  const plain = real.port === '' && real.username === '' && real.password === '' && real.search === '' && real.hash === '';
  if (real.protocol !== 'https:' || !plain || !isSalesforceHost(real.hostname) || real.pathname.replace(/\/$/, '') !== '') {
    throw new ProviderProtocolError(`Salesforce returned an instance_url outside Salesforce: ${real.origin}`);
  }
  return real.origin;
}
