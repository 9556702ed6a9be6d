// Salesforce in the sandbox: OAuth at login.salesforce.com, and on each org's instance host
// userinfo, SOQL query/queryAll, SOSL search and parameterizedSearch, and Contact/Lead creation
// under duplicate rules.
import { defineSandboxProvider } from '../../provider';
import { PROFILE } from './accounts';
import { salesforceDataRoutes, salesforceDataSpecs } from './data';
import { sobjectClient } from './listing';
import { salesforceRoutes } from './oauth';
import { salesforceSearchRoutes } from './search';
import { salesforceSobjectRoutes } from './sobjects';

export const salesforce = defineSandboxProvider({
  ...PROFILE,
  auth: { kind: 'oauth2', scopes: ['api', 'refresh_token'], rotatesRefreshTokens: false },
  routes: [...salesforceRoutes, ...salesforceDataRoutes, ...salesforceSearchRoutes, ...salesforceSobjectRoutes],
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
  // Leads are searched, not synced; searches and creates count (and take page faults) as endpoints.
  endpoints: ['leads', 'search', 'sobjectWrites'],
});
