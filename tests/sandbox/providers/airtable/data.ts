// The Contacts table's records as the generic dataset keeps them (data.ts), and how Airtable shows
// them: {id, createdTime, fields} with empty cells left out ✔ (list-records). Record ids are "rec"
// + the account's letter + the index in base 36, 17 characters, so they sort in index order.
import { between, company, email as fakeEmail, personName, phone, pick, type Rng } from '../../data-fake';
import type { Dataset, Fields, ResourceSpec } from '../../data';
import { findAccount, PROFILE, STATUS_CHOICES } from './accounts';

export function recordId(index: number, accountId: string): string {
  const letter = findAccount(accountId)?.letter ?? 'X';
  return `rec${letter}${index.toString(36).padStart(13, '0')}`;
}

export const recordsSpec: ResourceSpec = {
  key: `${PROFILE.id}.records`,
  provider: PROFILE.id,
  resource: 'records',
  idOf: recordId,
  generate(rng: Rng, ctx) {
    const { first, last } = personName(rng);
    const fields: Fields = {
      Name: `${first} ${last}`,
      // Its own domain, so contacts pushed in from another sandbox never merge with these by accident.
      Email: fakeEmail(first, last, ctx.index, rng).replace(/@.*$/, '@airtable-sandbox.example'),
      Phone: phone(rng),
      Company: company(rng),
      Status: pick(rng, STATUS_CHOICES),
      Score: between(rng, 1, 100),
    };
    if (rng() < 0.5) fields.Notes = 'Met at the spring fair';
    return fields;
  },
  // A person editing the table: the notes and the status change (never a field records are matched on).
  update(fields: Fields, rng: Rng) {
    fields.Notes = `Called on ${new Date().toISOString().slice(0, 10)} (${between(rng, 1, 9999)})`;
    fields.Status = pick(rng, STATUS_CHOICES.filter((s) => s !== fields.Status));
  },
};

/** One record as Airtable answers it. */
export function render(dataset: Dataset, index: number) {
  const fields: Fields = {};
  for (const [name, value] of Object.entries(dataset.fields(index))) if (value !== undefined && value !== null && value !== '') fields[name] = value;
  fields.Created = new Date(dataset.createdAt[index]).toISOString();
  return { id: dataset.idOf(index), createdTime: new Date(dataset.createdAt[index]).toISOString(), fields };
}
