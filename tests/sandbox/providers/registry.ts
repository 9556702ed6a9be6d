// Every provider the sandbox plays, one line each, in the app registry's order
// (lib/providers/registry.ts; tests/unit/sandbox-registry.test.ts keeps the two lists equal).
// Adding one = a folder under tests/sandbox/providers/ + one line here.
import { acuity } from './acuity';
import { airtable } from './airtable';
import { calendly } from './calendly';
import { fresha } from './fresha';
import { github } from './github';
import { gmail } from './gmail';
import { googleCalendar } from './google-calendar';
import { hubspot } from './hubspot';
import { mailchimp } from './mailchimp';
import { mindbody } from './mindbody';
import { outlook } from './outlook';
import { salesforce } from './salesforce';
import { slack } from './slack';
import { square } from './square';
import { telegram } from './telegram';

export const SANDBOX_PROVIDERS = [
  googleCalendar,
  salesforce,
  hubspot,
  square,
  fresha,
  mindbody,
  calendly,
  acuity,
  outlook,
  gmail,
  github,
  slack,
  telegram,
  airtable,
  mailchimp,
] as const;
