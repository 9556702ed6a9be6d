// Mindbody's sandbox sites, which play the part of accounts: the account id is the site id.
import { defineProfile } from '../../provider';

export interface MindbodySite {
  id: string;
  siteId: number;
  name: string;
  timeZone: string;
}

export const PROFILE = defineProfile({
  id: 'mindbody',
  name: 'Mindbody',
  // -99 is Mindbody's own public test site; 4242 stands in for a second studio.
  accounts: [
    { id: '-99', siteId: -99, name: 'Mindbody Sandbox Studio', timeZone: 'America/Los_Angeles' },
    { id: '4242', siteId: 4242, name: 'Acme Yoga', timeZone: 'Europe/London' },
  ] as readonly MindbodySite[],
  label: (site: MindbodySite) => `${site.name} (site ${site.siteId})`,
});
