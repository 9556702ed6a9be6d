import { z } from 'zod';

const id = (what: string) => z.uuid({ error: `${what} must be a valid id` });

export const workspaceParams = z.object({ workspaceId: id('workspaceId') });
export const memberParams = workspaceParams.extend({ userId: id('userId') });
export const invitationParams = workspaceParams.extend({ invitationId: id('invitationId') });
