// Path params of one outbound endpoint's routes.
import { z } from 'zod';
import { workspaceParams } from '@/lib/http/params';

export const endpointParams = workspaceParams.extend({ endpointId: z.uuid({ error: 'endpointId must be a valid id' }) });
export const deliveryParams = endpointParams.extend({ deliveryId: z.uuid({ error: 'deliveryId must be a valid id' }) });
