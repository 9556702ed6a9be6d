// Square's two sandbox sellers; the account id is the merchant id.
import { defineProfile } from '../../provider';

export interface SquareAccount {
  id: string;
  merchantId: string;
  businessName: string;
  mainLocationId: string;
}

export const PROFILE = defineProfile({
  id: 'square',
  name: 'Square',
  accounts: [
    { id: 'MLSBX0000000001', merchantId: 'MLSBX0000000001', businessName: 'Acme Studio', mainLocationId: 'LSBX0000000001' },
    { id: 'MLSBX0000000002', merchantId: 'MLSBX0000000002', businessName: 'Globex Salon', mainLocationId: 'LSBX0000000002' },
  ] as readonly SquareAccount[],
  label: (account: SquareAccount) => `${account.businessName} (${account.merchantId})`,
});

export const findAccount = (id: string) => PROFILE.accounts.find((account) => account.id === id);

/** The Square-Version every /v2 call must carry (the sandbox insists; real Square falls back to the app's pinned one). */
export const SQUARE_VERSION = '2025-10-16';
