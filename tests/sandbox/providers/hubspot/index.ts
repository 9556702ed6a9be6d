// HubSpot in the sandbox: the 2026-03 OAuth endpoints with token introspection, CRM v3 contacts and
// deals (list, archived list, search, read one), contact creation, and signed webhook deliveries.
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { hubspotDataRoutes, hubspotDataSpecs } from './data';
import { crmObjectClient } from './listing';
import { hubspotRoutes } from './oauth';
import { hubspotObjectRoutes } from './objects';
import { webhooks } from './webhooks';

export const hubspot = defineSandboxProvider({
  ...PROFILE,
  auth: {
    kind: 'oauth2',
    scopes: ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.deals.read'],
    rotatesRefreshTokens: false,
  },
  routes: [...hubspotRoutes, ...hubspotDataRoutes, ...hubspotObjectRoutes],
  datasets: {
    contacts: { spec: hubspotDataSpecs.contacts, deletions: 'tombstone', client: crmObjectClient('contacts', 'lastmodifieddate') },
    deals: { spec: hubspotDataSpecs.deals, deletions: 'tombstone', client: crmObjectClient('deals', 'hs_lastmodifieddate') },
  },
  endpoints: ['contactWrites'],
  webhooks,
});
