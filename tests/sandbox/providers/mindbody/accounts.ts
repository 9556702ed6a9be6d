// Mindbody's sandbox sites, which play the part of accounts: the account id is the site id. Each
// site has a staff login the API-key form may carry (for staff user tokens).
import { defineProfile } from '../../provider';

export interface MindbodySite {
  id: string;
  siteId: number;
  name: string;
  /** Site.TimeZone (the sandbox answers IANA names). */
  timeZone: string;
  staffUsername: string;
  staffPassword: string;
}

export const PROFILE = defineProfile({
  id: 'mindbody',
  name: 'Mindbody',
  // -99 is Mindbody's own public test site; 4242 stands in for a second studio.
  accounts: [
    { id: '-99', siteId: -99, name: 'Mindbody Sandbox Studio', timeZone: 'America/Los_Angeles', staffUsername: 'sandbox-staff', staffPassword: 'sandbox-staff-password' },
    { id: '4242', siteId: 4242, name: 'Acme Yoga', timeZone: 'Europe/London', staffUsername: 'acme-staff', staffPassword: 'acme-staff-password' },
  ] as readonly MindbodySite[],
  label: (site: MindbodySite) => `${site.name} (site ${site.siteId})`,
});

export const findSite = (siteId: number) => PROFILE.accounts.find((site) => site.siteId === siteId);
