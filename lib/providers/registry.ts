// Every provider the app knows. Adding one = a folder under lib/providers/ + one line here.
import { acuityScheduling } from './acuity';
import { calendly } from './calendly';
import { fresha } from './fresha';
import { googleCalendar } from './google-calendar';
import { hubspot } from './hubspot';
import { mindbody } from './mindbody';
import { outlook } from './outlook';
import { salesforce } from './salesforce';
import { square } from './square';
import type { ProviderDefinition } from './types';

export const providers: readonly ProviderDefinition[] = [googleCalendar, salesforce, hubspot, square, fresha, mindbody, calendly, acuityScheduling, outlook];

const byId = new Map(providers.map((p) => [p.id, p]));

export function findProvider(id: string): ProviderDefinition | undefined {
  return byId.get(id);
}
