// Salesforce in the sandbox: OAuth at login.salesforce.com, userinfo and SOQL query/queryAll on
// each org's instance host.
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { salesforceDataRoutes, salesforceDataSpecs } from './data';
import { sobjectClient } from './listing';
import { salesforceRoutes } from './oauth';

export const salesforce = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'oauth2', scopes: ['api', 'refresh_token'], rotatesRefreshTokens: false },
  routes: [...salesforceRoutes, ...salesforceDataRoutes],
  datasets: {
    contacts: {
      spec: salesforceDataSpecs.contacts,
      deletions: 'tombstone',
      client: sobjectClient('contacts', 'Contact', 'FirstName, LastName, Email, Phone, Title'),
    },
    opportunities: {
      spec: salesforceDataSpecs.opportunities,
      deletions: 'tombstone',
      client: sobjectClient('opportunities', 'Opportunity', 'Name, Amount, StageName, CloseDate'),
    },
  },
  endpoints: [],
});
