// Every provider the sandbox plays, one line each, in the app registry's order
// (lib/providers/registry.ts; tests/unit/sandbox-registry.test.ts keeps the two lists equal).
// Adding one = a folder under tests/sandbox/providers/ + one line here.
import { acuity } from './acuity';
import { calendly } from './calendly';
import { fresha } from './fresha';
import { googleCalendar } from './google-calendar';
import { hubspot } from './hubspot';
import { mindbody } from './mindbody';
import { outlook } from './outlook';
import { salesforce } from './salesforce';
import { square } from './square';

export const SANDBOX_PROVIDERS = [googleCalendar, salesforce, hubspot, square, fresha, mindbody, calendly, acuity, outlook] as const;
