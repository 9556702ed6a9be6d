// Serves the Inngest functions. With INNGEST_DEV=1 the Inngest dev server discovers them here;
// in the cloud the signing key authenticates Inngest's calls.
import { serve } from 'inngest/next';
import { getDb } from '@/lib/db/app-database';
import { inngest } from '@/lib/inngest/client';
import { createFunctions } from '@/lib/inngest/functions';
import { createOutboundFunctions } from '@/lib/inngest/outbound-functions';
import { createPushFunctions } from '@/lib/inngest/push-functions';
import { createWebhookFunctions } from '@/lib/inngest/webhook-functions';

export const { GET, POST, PUT } = serve({
  client: inngest,
  functions: [...Object.values(createFunctions(getDb)), ...Object.values(createWebhookFunctions(getDb)), ...Object.values(createOutboundFunctions(getDb)), ...Object.values(createPushFunctions(getDb))],
});
