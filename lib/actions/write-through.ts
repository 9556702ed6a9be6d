// An appointment action's answer for what it created, changed or cancelled at the provider: the
// provider's record mapped as its sync maps it (the resource's default mapping), and the record
// itself to write through at once, so the next sync finds it unchanged.
import { applyMapping, compileMapping, type CompiledMapping } from '../mapping/interpreter';
import type { MappingDefinition } from '../mapping/language';
import { Appointment } from '../mapping/model';
import type { ActionRecord, ActionResult } from '../providers/types';
import type { ActionOutput } from './schemas';
import { ActionError } from './errors';

/** Compiled once per mapping: a provider's default mappings are constants. */
const compiled = new WeakMap<MappingDefinition, CompiledMapping>();

function compiledOf(mapping: MappingDefinition): CompiledMapping {
  let found = compiled.get(mapping);
  if (!found) compiled.set(mapping, (found = compileMapping(mapping)));
  return found;
}

/**
 * @param mapping the resource's default mapping
 * @param what the record, for the error when it does not map ("Acme's event")
 * @param record what the sync would store for it (`record.data` is what the mapping reads)
 * @param raw the provider's answer, returned as is
 * @param also records written through before this one (others the action changed)
 */
export function appointmentWriteThrough(
  mapping: MappingDefinition,
  what: string,
  record: ActionRecord,
  raw: unknown,
  also: readonly ActionRecord[] = [],
): ActionResult<ActionOutput<'appointments.create'>> {
  const { output, errors } = applyMapping(compiledOf(mapping), record.data);
  if (errors.length > 0) throw new ActionError('provider_error', `${what} did not map onto an appointment: ${errors.map((e) => `${e.target}: ${e.message}`).join('; ')}`);
  return { output: { appointment: Appointment.parse(output), resource: record.resource, raw }, records: [...also, record] };
}
