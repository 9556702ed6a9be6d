// Acuity Scheduling API v1 (https://developers.acuityscheduling.com/reference): JSON at
// https://acuityscheduling.com/api/v1, authenticated with an OAuth bearer token, or with HTTP Basic
// (user id : API key) for a connection made with an API key
// (https://developers.acuityscheduling.com/docs/quick-start; the official JS SDK,
// github.com/AcuityScheduling/acuity-js src/AcuitySchedulingOAuth.js, sends "Bearer <token>"). Errors answer
// { status_code, message, error } (error is a code such as "not_available"). Limits: about 10
// requests a second and 20 at once per account (~, shared/providers.md).
import { z } from 'zod';
import { ProviderHttpError } from '../errors';
import type { ProviderClient, RequestOptions } from '../types';

export const API = 'https://acuityscheduling.com/api/v1';

/** A connection made with a user id and API key (else with OAuth). */
export const usesApiKey = (client: ProviderClient) => Boolean(client.tokens.extra?.userId);

/** The Authorization header for the connection's user id and API key. */
export function basicAuth(client: ProviderClient): string {
  const userId = client.tokens.extra?.userId ?? '';
  return `Basic ${Buffer.from(`${userId}:${client.tokens.accessToken}`, 'utf8').toString('base64')}`;
}

export async function acuity(client: ProviderClient, path: string, options: RequestOptions = {}): Promise<unknown> {
  if (!usesApiKey(client)) return (await client.request(`${API}${path}`, options)).body;
  const headers = { ...options.headers, Authorization: basicAuth(client) };
  return (await client.request(`${API}${path}`, { ...options, headers, bearer: false })).body;
}

export const acuityError = z.object({ status_code: z.number().optional(), message: z.string().optional(), error: z.string().optional() }).passthrough();

export function describeAcuityError(body: unknown): string | undefined {
  const parsed = acuityError.safeParse(body);
  if (!parsed.success || !parsed.data.message) return undefined;
  return parsed.data.error ? `${parsed.data.message} (${parsed.data.error})` : parsed.data.message;
}

/** Acuity's error code ("not_available", "invalid_appointment_type", …) of a failed call. */
export function errorCodeOf(error: unknown): string | undefined {
  if (!(error instanceof ProviderHttpError)) return undefined;
  return /\(([a-z_]+)\)$/.exec(error.providerMessage)?.[1];
}

/** An appointment as the API answers it: what this folder reads, the rest kept as sent. */
export const appointment = z
  .object({
    id: z.number().int(),
    datetime: z.string().min(1),
    duration: z.union([z.string(), z.number()]).optional(),
    canceled: z.boolean().optional(),
    email: z.string().optional(),
    appointmentTypeID: z.number().int().optional(),
    calendarID: z.number().int().optional(),
  })
  .passthrough();
export type AcuityAppointment = z.infer<typeof appointment>;

export const me = z.object({ id: z.number().int(), email: z.string().optional(), name: z.string().optional(), timezone: z.string().optional() }).passthrough();
