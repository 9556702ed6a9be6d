// Every provider the app knows. Adding one = a folder under lib/providers/ + one line here.
import { acuityScheduling } from './acuity';
import { airtable } from './airtable';
import { calendly } from './calendly';
import { fresha } from './fresha';
import { github } from './github';
import { gmail } from './gmail';
import { googleCalendar } from './google-calendar';
import { hubspot } from './hubspot';
import { mailchimpProvider } from './mailchimp';
import { mindbody } from './mindbody';
import { outlook } from './outlook';
import { salesforce } from './salesforce';
import { slackProvider } from './slack';
import { square } from './square';
import { telegramProvider } from './telegram';
import type { ProviderDefinition } from './types';

export const providers: readonly ProviderDefinition[] = [
  googleCalendar,
  salesforce,
  hubspot,
  square,
  fresha,
  mindbody,
  calendly,
  acuityScheduling,
  outlook,
  gmail,
  github,
  slackProvider,
  telegramProvider,
  airtable,
  mailchimpProvider,
];

const byId = new Map(providers.map((p) => [p.id, p]));

export function findProvider(id: string): ProviderDefinition | undefined {
  return byId.get(id);
}
