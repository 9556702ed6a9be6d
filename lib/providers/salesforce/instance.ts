// Salesforce answers with the org's own API host (instance_url). It comes from the network, so
// it may only ever point at Salesforce (SSRF).
import { toRealUrl, type Environment } from '../environment';
import { ProviderProtocolError } from '../errors';

/** Salesforce-owned API hosts only: instance_url comes from the network and must not steer us elsewhere. */
export function isSalesforceHost(host: string): boolean {
  return /^([a-z0-9-]+\.)+(salesforce\.com|force\.com|cloudforce\.com|salesforce-sites\.com)$/i.test(host);
}

/** Validates instance_url (as received, so sandbox-prefixed in the sandbox) and returns the real origin. */
export function checkedInstanceUrl(instanceUrl: string, environment: Environment): string {
  const real = new URL(toRealUrl(instanceUrl, environment));
  if (real.protocol !== 'https:' || !isSalesforceHost(real.hostname) || real.pathname.replace(/\/$/, '') !== '') {
    throw new ProviderProtocolError(`Salesforce returned an instance_url outside Salesforce: ${real.origin}`);
  }
  return real.origin;
}
