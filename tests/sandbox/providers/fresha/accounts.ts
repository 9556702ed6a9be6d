// Fresha's two sandbox businesses; the account id is the business id.
import { defineProfile } from '../../provider';

export interface FreshaAccount {
  id: string;
  businessId: string;
  name: string;
}

export const PROFILE = defineProfile({
  id: 'fresha',
  name: 'Fresha',
  accounts: [
    { id: 'fresha-sbx-0001', businessId: 'fresha-sbx-0001', name: 'Acme Beauty' },
    { id: 'fresha-sbx-0002', businessId: 'fresha-sbx-0002', name: 'Globex Spa' },
  ] as readonly FreshaAccount[],
  label: (account: FreshaAccount) => `${account.name} (${account.businessId})`,
});

export const findAccount = (id: string) => PROFILE.accounts.find((account) => account.id === id);
