import { ErrorIcon } from './icons';
import { valueText } from './values';

interface MappingErrorLike {
  target: string;
  code: string;
  message: string;
}

interface MappedOutputProps {
  /** Names the table, e.g. "Mapped fields of 1000000001". */
  caption: string;
  output: Record<string, unknown> | null;
  errors: readonly MappingErrorLike[] | null;
  /** The model's fields, for order and labels; without them the output's own order is used. */
  fields?: readonly { name: string; label: string }[];
  /** Fields whose value differs from what the saved mapping gives. */
  changed?: ReadonlySet<string>;
}

/** One record's mapped fields, field → value, with each field's mapping errors on its row. */
export function MappedOutput({ caption, output, errors, fields, changed }: MappedOutputProps) {
  const values = output ?? {};
  const byTarget = new Map<string, MappingErrorLike[]>();
  const general: MappingErrorLike[] = [];
  for (const error of errors ?? []) {
    // "email|phone": a rule about several fields together belongs under the table.
    if (error.target.includes('|') || !error.target) general.push(error);
    else byTarget.set(error.target, [...(byTarget.get(error.target) ?? []), error]);
  }
  const shown = new Set([...Object.keys(values), ...byTarget.keys()]);
  const order = fields ? fields.filter((f) => shown.has(f.name)) : [];
  for (const name of shown) if (!order.some((f) => f.name === name)) order.push({ name, label: name });

  return (
    <div className="min-w-0 space-y-2">
      <table className="w-full table-fixed text-sm">
        <caption className="sr-only">{caption}</caption>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {order.map((field) => {
            const fieldErrors = byTarget.get(field.name) ?? [];
            const value = values[field.name];
            const isChanged = changed?.has(field.name) ?? false;
            return (
              <tr key={field.name} className={fieldErrors.length ? 'bg-red-50/80 dark:bg-red-950/40' : undefined}>
                <th scope="row" className="w-2/5 py-1.5 pr-3 pl-2 text-left align-top text-xs font-medium text-slate-600 dark:text-slate-400">
                  <span className="break-words">{field.label}</span>
                </th>
                <td className="py-1.5 pr-2 align-top">
                  {value === undefined ? (
                    <span className="text-slate-400 dark:text-slate-500">
                      <span aria-hidden="true">—</span>
                      <span className="sr-only">empty</span>
                    </span>
                  ) : (
                    <span className="break-words text-slate-900 dark:text-slate-100">{valueText(value)}</span>
                  )}
                  {isChanged ? (
                    <span className="ml-1.5 inline-flex rounded bg-indigo-50 px-1 text-[11px] font-medium text-indigo-700 ring-1 ring-indigo-200 ring-inset dark:bg-indigo-950 dark:text-indigo-300 dark:ring-indigo-800">
                      changed
                    </span>
                  ) : null}
                  {fieldErrors.map((error, i) => (
                    <span key={i} className="mt-0.5 flex gap-1 text-xs text-red-700 dark:text-red-400">
                      <ErrorIcon className="mt-px size-3.5 shrink-0" />
                      <span className="min-w-0 break-words">{error.message}</span>
                    </span>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {order.length === 0 ? <p className="px-2 text-sm text-slate-500 dark:text-slate-400">No fields were mapped.</p> : null}
      {general.map((error, i) => (
        <p key={i} className="flex gap-1.5 rounded-md bg-red-50 px-2 py-1.5 text-xs text-red-800 dark:bg-red-950/50 dark:text-red-300">
          <ErrorIcon className="mt-px size-3.5 shrink-0" />
          <span className="min-w-0 break-words">{error.message}</span>
        </p>
      ))}
    </div>
  );
}
