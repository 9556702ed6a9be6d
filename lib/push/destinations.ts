// Where pushes can go: the push destinations the registry's providers declare (ProviderPush). The
// engine, the routes and the screens find them here and name no provider themselves.
import { findProvider } from '../providers/registry';
import type { PushDestination, PushField, ProviderDefinition } from '../providers/types';
import type { MappingTargets, TargetField } from '../mapping/language';

export function destinationsOf(provider: ProviderDefinition | undefined): readonly PushDestination[] {
  return provider?.push?.destinations ?? [];
}

export function findDestination(providerId: string, destinationId: string): PushDestination | undefined {
  return destinationsOf(findProvider(providerId)).find((d) => d.id === destinationId);
}

/** The target's fields as a mapping's target list. */
export function mappingTargetsOf(fields: readonly PushField[], targetLabel: string): MappingTargets {
  return {
    describe: targetLabel,
    fields: fields.map(
      (f): TargetField => ({ name: f.name, label: f.label, type: f.type, required: f.required ?? false, ...(f.values ? { values: f.values } : {}) }),
    ),
  };
}

/** The deletion policies a destination accepts: `keep` always. */
export function deletionPoliciesOf(destination: PushDestination): string[] {
  return ['keep', ...destination.deletionPolicies.filter((p) => p !== 'keep')];
}
