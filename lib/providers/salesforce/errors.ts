// Salesforce's REST error bodies are arrays of { message, errorCode, fields }. A save refused by a
// duplicate rule (DUPLICATES_DETECTED) also carries the matching records' ids in
// duplicateResult.matchResults[].matchRecords[].record.Id (DuplicateResult / MatchResult /
// MatchRecord, developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_objects_duplicateresult.htm
// and …/sforce_api_objects_matchresult.htm). Responses captured from real orgs (API v54.0, v56.0)
// spell the key `duplicateResut`; both spellings are read.
//
// A provider failure reaches an action handler as a ProviderHttpError carrying only a sentence (the
// body is not kept), so describeSalesforceError writes the ids into that sentence in a fixed form,
// and duplicateIdsOf reads them back.
import { z } from 'zod';

const SALESFORCE_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

const matchRecord = z.object({ record: z.object({ Id: z.string() }).passthrough().optional() }).passthrough();
const duplicateResult = z
  .object({ matchResults: z.array(z.object({ matchRecords: z.array(matchRecord).optional() }).passthrough()).optional() })
  .passthrough();
const errorItem = z
  .object({
    message: z.string().optional(),
    errorCode: z.string().optional(),
    duplicateResult: duplicateResult.optional(),
    duplicateResut: duplicateResult.optional(),
  })
  .passthrough();

const MARKER = 'DUPLICATES_DETECTED';
const TAIL = /\(matching records: ((?:[A-Za-z0-9]{15,18})(?:, [A-Za-z0-9]{15,18})*)\)$/;

/** The ids of the records a duplicate rule matched, in Salesforce's order, without repeats. */
export function duplicateIdsIn(body: unknown): string[] | undefined {
  const first = Array.isArray(body) ? errorItem.safeParse(body[0]) : undefined;
  if (!first?.success || first.data.errorCode !== MARKER) return undefined;
  const result = first.data.duplicateResult ?? first.data.duplicateResut;
  const ids = (result?.matchResults ?? []).flatMap((match) => (match.matchRecords ?? []).map((m) => m.record?.Id ?? ''));
  return [...new Set(ids.filter((id) => SALESFORCE_ID.test(id)))];
}

/**
 * The sentence for a Salesforce error body (ProviderDefinition.describeError). Only duplicate-rule
 * refusals get their own: `DUPLICATES_DETECTED: <message> (matching records: <id>, <id>)`.
 * Everything else falls back to the usual reading (undefined).
 */
export function describeSalesforceError(body: unknown): string | undefined {
  const ids = duplicateIdsIn(body);
  if (!ids) return undefined;
  const message = (Array.isArray(body) && typeof body[0]?.message === 'string' ? (body[0].message as string) : 'Duplicate records were detected.').slice(0, 300);
  return `${MARKER}: ${message}${ids.length ? ` (matching records: ${ids.join(', ')})` : ''}`;
}

/** From a ProviderHttpError's message: undefined when it is no duplicate-rule refusal, else the matched ids. */
export function duplicateIdsOf(providerMessage: string): string[] | undefined {
  if (!providerMessage.startsWith(`${MARKER}: `)) return undefined;
  const tail = TAIL.exec(providerMessage);
  return tail ? tail[1].split(', ') : [];
}
