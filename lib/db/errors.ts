// PostgreSQL error codes the app turns into readable answers.
export function pgErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

export function pgErrorMessage(error: unknown): string {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    if (typeof (e as { code?: unknown }).code === 'string') return String((e as { message?: unknown }).message);
  }
  return error instanceof Error ? error.message : String(error);
}

export const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  insufficientPrivilege: '42501',
  raiseException: 'P0001',
  invalidTextRepresentation: '22P02',
  /** NUL (or another byte the encoding lacks) in a text parameter. */
  characterNotInRepertoire: '22021',
  /** `\u0000` in a json value cast to jsonb or text. */
  untranslatableCharacter: '22P05',
} as const;
