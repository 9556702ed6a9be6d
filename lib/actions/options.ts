// Reading an action's provider-specific `options` bag (schemas.ts: strings, string lists, numbers,
// booleans). Which names a provider reads, and what it does with them, stay in its folder.

/** The options bag of an action's input. */
export type ActionOptions = Record<string, string | string[] | number | boolean> | undefined;

/** A non-blank string option, trimmed; absent otherwise. */
export function optionString(options: ActionOptions, name: string): string | undefined {
  const value = options?.[name];
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** A string or list of strings, trimmed, blanks and repeats dropped; absent when nothing is left. */
export function optionList(options: ActionOptions, name: string): string[] | undefined {
  const value = options?.[name];
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  const items = list?.map((item) => item.trim()).filter(Boolean);
  return items && items.length > 0 ? [...new Set(items)] : undefined;
}
