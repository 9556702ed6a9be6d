import { z } from 'zod';
import { workspaceParams } from '../http/params';

export const webhookEventParams = workspaceParams.extend({ eventId: z.uuid({ error: 'eventId must be a valid id' }) });
