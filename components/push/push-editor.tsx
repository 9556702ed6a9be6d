'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useDraft } from '@/components/mapping/use-draft';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { MappingDefinition } from '@/lib/client/mapping';
import {
  DELETION_POLICY_LABELS,
  fetchSourceSample,
  PUSH_SCHEDULE_LABELS,
  type PushConfig,
  type PushConfigInput,
  type PushDestinationView,
  type PushFilter,
  type PushView,
} from '@/lib/client/push';
import { modelSourceFields, suggestedRows } from '@/lib/client/push-model';
import type { CatalogProvider, Connection } from '@/lib/client/types';
import { modelFields, type ModelName } from '@/lib/mapping/model';
import { mappingIssuesOf, PushMapping, targetFieldsOf } from './push-mapping';
import { PushFilters } from './push-filters';
import { PushPreviewPanel } from './push-preview';
import { useCreatePush, usePreviewPush, useTargetFields, useUpdatePush } from './use-push';

interface PushEditorProps {
  workspaceId: string;
  destination: Connection;
  destinations: PushDestinationView[];
  connections: Connection[];
  providers: CatalogProvider[];
  /** The push being edited; absent for a new one. */
  existing?: PushView;
  onDone: () => void;
}

/** Connections of the workspace holding records of `model` (any resource whose mapping writes it). */
function sourcesFor(model: string, destinationId: string, connections: Connection[], providers: CatalogProvider[]) {
  return connections.flatMap((connection) => {
    if (connection.id === destinationId || connection.status === 'disconnected') return [];
    const provider = providers.find((p) => p.id === connection.provider);
    const resource = Object.entries(provider?.resourceModels ?? {}).find(([, m]) => m === model)?.[0];
    return resource ? [{ connection, resource, providerName: provider?.name ?? connection.provider }] : [];
  });
}

const sectionHeading = 'text-sm font-semibold text-slate-900 dark:text-slate-100';

export function PushEditor({ workspaceId, destination, destinations, connections, providers, existing, onDone }: PushEditorProps) {
  const initial: PushConfig | undefined = existing?.config;
  const [name, setName] = useState(initial?.name ?? '');
  const [destinationId, setDestinationId] = useState(initial?.destination ?? destinations[0]?.id ?? '');
  const dest = destinations.find((d) => d.id === destinationId);
  const [targetId, setTargetId] = useState(initial?.targetId ?? dest?.targets[0]?.id ?? '');
  const [sourceModel, setSourceModel] = useState<ModelName>((initial?.sourceModel ?? dest?.models[0] ?? 'Contact') as ModelName);
  const sources = sourcesFor(sourceModel, destination.id, connections, providers);
  const [sourceIds, setSourceIds] = useState<string[]>(initial?.sourceConnectionIds ?? sources.map((s) => s.connection.id));
  const [filters, setFilters] = useState<PushFilter[]>(initial?.filters ?? []);
  const [chosenMatch, setChosenMatch] = useState(initial?.matchField ?? '');
  const [deletionPolicy, setDeletionPolicy] = useState<PushConfig['deletionPolicy']>(initial?.deletionPolicy ?? 'keep');
  const [schedule, setSchedule] = useState<PushConfig['schedule']>(initial?.schedule ?? 'manual');
  const [pushOnSourceChange, setPushOnSourceChange] = useState(initial?.pushOnSourceChange ?? true);

  const fieldsQuery = useTargetFields(workspaceId, destination.id, destinationId, targetId);
  const fields = fieldsQuery.data ?? [];
  const matchField = dest?.matchKey.kind === 'fixed' ? dest.matchKey.field : chosenMatch || (fields.find((f) => f.matchable)?.name ?? '');

  // The mapping starts from the saved one, or from a suggestion once the target's fields are known;
  // an untouched draft follows the target, an edited one is kept.
  const savedMapping: MappingDefinition = (initial?.mapping as MappingDefinition | undefined) ?? {
    version: 1,
    model: sourceModel,
    rows: fieldsQuery.data ? suggestedRows(sourceModel, fieldsQuery.data, matchField) : [],
  };
  const draft = useDraft(savedMapping, initial ? `saved:${existing?.id}` : `${destinationId}:${targetId}:${sourceModel}:${fieldsQuery.data ? 'fields' : 'none'}`);

  const sampleSource = sources.find((s) => sourceIds.includes(s.connection.id));
  const sample = useQuery({
    queryKey: ['push-source-sample', workspaceId, sampleSource?.connection.id, sampleSource?.resource],
    queryFn: ({ signal }) => fetchSourceSample(workspaceId, sampleSource!.connection.id, sampleSource!.resource, signal),
    enabled: Boolean(sampleSource),
    staleTime: 60_000,
  });
  const sampleRecords = sample.data ?? [];

  const create = useCreatePush(workspaceId, destination.id);
  const update = useUpdatePush(workspaceId, destination.id);
  const preview = usePreviewPush(workspaceId, destination.id);
  const save = existing ? update : create;

  const input: PushConfigInput = {
    name,
    destination: destinationId,
    targetId,
    matchField,
    sourceModel,
    sourceConnectionIds: sourceIds,
    filters,
    mapping: { ...draft.definition, model: sourceModel },
    deletionPolicy,
    schedule,
    pushOnSourceChange,
  };
  // A preview may come before the push has a name; the name changes nothing that is sent.
  const previewInput = { ...input, name: name.trim() || 'Untitled push' };
  const previewIsCurrent = preview.variables && JSON.stringify({ ...preview.variables, name: '' }) === JSON.stringify({ ...input, name: '' });
  const issues = mappingIssuesOf(save.error ?? preview.error);
  const connectionName = (id: string) => connections.find((c) => c.id === id)?.displayName ?? 'a removed connection';
  const targetLabel = dest?.targets.find((t) => t.id === targetId)?.label ?? 'destination';
  const headingId = existing ? `push-editor-${existing.id}` : 'push-editor-new';

  function submit() {
    if (existing) update.mutate({ pushId: existing.id, change: input }, { onSuccess: onDone });
    else create.mutate(input, { onSuccess: onDone });
  }

  return (
    <Card className="p-4 sm:p-5">
      <form
        aria-labelledby={headingId}
        className="space-y-6"
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
      >
        <h3 id={headingId} className="text-base font-semibold text-slate-900 dark:text-slate-100">
          {existing ? `Edit ${existing.config.name}` : 'New push'}
        </h3>

        <div className="grid gap-4 md:grid-cols-2">
          <Field label="Name" htmlFor="push-name">
            <Input id="push-name" value={name} maxLength={200} required onChange={(e) => setName(e.target.value)} placeholder="e.g. Customers to the newsletter" />
          </Field>
          {destinations.length > 1 ? (
            <Field label="Destination" htmlFor="push-destination">
              <Select
                id="push-destination"
                value={destinationId}
                onChange={(e) => {
                  const next = destinations.find((d) => d.id === e.target.value);
                  setDestinationId(e.target.value);
                  setTargetId(next?.targets[0]?.id ?? '');
                  setChosenMatch('');
                }}
              >
                {destinations.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.label}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          <Field label="Target" htmlFor="push-target" hint={dest ? `Where the records go: ${dest.label.toLowerCase()} of ${destination.displayName}.` : undefined} hintId="push-target-hint">
            <Select
              id="push-target"
              aria-describedby="push-target-hint"
              value={targetId}
              required
              onChange={(e) => {
                setTargetId(e.target.value);
                setChosenMatch('');
              }}
            >
              {dest?.targets.length ? null : <option value="">No targets found at {destination.displayName}</option>}
              {groupTargets(dest?.targets ?? []).map(([group, targets]) =>
                group ? (
                  <optgroup key={group} label={group}>
                    {targets.map((t) => (
                      <option key={t.id} value={t.id}>
                        {t.label}
                      </option>
                    ))}
                  </optgroup>
                ) : (
                  targets.map((t) => (
                    <option key={t.id} value={t.id}>
                      {t.label}
                    </option>
                  ))
                ),
              )}
            </Select>
          </Field>
          {dest && dest.matchKey.kind === 'fixed' ? (
            <Field label="Match key" htmlFor="push-match" hint={`${destination.displayName} matches records on this field; it is fixed.`} hintId="push-match-hint">
              <Input id="push-match" value={dest.matchKey.field} readOnly aria-describedby="push-match-hint" />
            </Field>
          ) : (
            <Field label="Match key" htmlFor="push-match" hint="A record whose value here equals an existing one updates it instead of adding another." hintId="push-match-hint">
              <Select id="push-match" value={matchField} required aria-describedby="push-match-hint" onChange={(e) => setChosenMatch(e.target.value)}>
                {fields.some((f) => f.matchable) ? null : <option value="">No field of this target can be matched on</option>}
                {fields
                  .filter((f) => f.matchable)
                  .map((f) => (
                    <option key={f.name} value={f.name}>
                      {f.label}
                    </option>
                  ))}
              </Select>
            </Field>
          )}
        </div>

        <fieldset className="space-y-2">
          <legend className={sectionHeading}>Source</legend>
          {dest && dest.models.length > 1 ? (
            <Field label="Records of" htmlFor="push-model">
              <Select id="push-model" value={sourceModel} onChange={(e) => setSourceModel(e.target.value as ModelName)}>
                {dest.models.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </Select>
            </Field>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">The workspace&apos;s stored {sourceModel} records, from these connections:</p>
          )}
          {sources.length ? (
            <ul className="grid gap-2 sm:grid-cols-2">
              {sources.map(({ connection, providerName }) => (
                <li key={connection.id}>
                  <label className="flex items-start gap-2 rounded-lg border border-slate-200 px-3 py-2 text-sm dark:border-slate-800">
                    <input
                      type="checkbox"
                      className="mt-0.5 size-4 accent-indigo-600"
                      checked={sourceIds.includes(connection.id)}
                      onChange={(e) => setSourceIds((ids) => (e.target.checked ? [...ids, connection.id] : ids.filter((id) => id !== connection.id)))}
                    />
                    <span>
                      <span className="block font-medium text-slate-900 dark:text-slate-100">{connection.displayName}</span>
                      <span className="block text-xs text-slate-500 dark:text-slate-400">{providerName}</span>
                    </span>
                  </label>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">No connection of this workspace syncs {sourceModel} records yet. Connect one first.</p>
          )}
        </fieldset>

        <PushFilters filters={filters} onChange={setFilters} fields={modelFields(sourceModel)} modelLabel={sourceModel} />

        <section aria-labelledby="push-mapping-heading" className="space-y-2">
          <h4 id="push-mapping-heading" className={sectionHeading}>
            Mapping
          </h4>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Each row reads a {sourceModel} field, runs its transforms and fills one field of {targetLabel}.
            {fieldsQuery.isPending && targetId ? ' Loading its fields…' : ''}
          </p>
          {fieldsQuery.isError ? <Alert>{fieldsQuery.error.message}</Alert> : null}
          <PushMapping
            draft={draft}
            canEdit
            targets={targetFieldsOf(fields)}
            targetLabel={targetLabel}
            sources={modelSourceFields(sourceModel, sampleRecords)}
            sampleSize={sampleRecords.length}
            issues={issues}
          />
        </section>

        <div className="grid gap-4 md:grid-cols-2">
          <Field label="When a source record is deleted" htmlFor="push-deletion">
            <Select id="push-deletion" value={deletionPolicy} onChange={(e) => setDeletionPolicy(e.target.value as PushConfig['deletionPolicy'])}>
              {(['keep', ...(dest?.deletionPolicies ?? []).filter((p) => p !== 'keep')] as PushConfig['deletionPolicy'][]).map((policy) => (
                <option key={policy} value={policy}>
                  {DELETION_POLICY_LABELS[policy] ?? policy}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Schedule" htmlFor="push-schedule">
            <Select id="push-schedule" value={schedule} onChange={(e) => setSchedule(e.target.value as PushConfig['schedule'])}>
              {Object.entries(PUSH_SCHEDULE_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        <label className="flex items-start gap-2 text-sm text-slate-700 dark:text-slate-300">
          <input type="checkbox" className="mt-0.5 size-4 accent-indigo-600" checked={pushOnSourceChange} onChange={(e) => setPushOnSourceChange(e.target.checked)} />
          <span>Also push shortly after a source sync changes matching records</span>
        </label>

        {save.isError && !issues.length ? <Alert>{save.error.message}</Alert> : null}
        {preview.isError && !issues.length ? <Alert>{preview.error.message}</Alert> : null}
        {preview.data && previewIsCurrent ? <PushPreviewPanel preview={preview.data} connectionName={connectionName} /> : null}
        {preview.data && !previewIsCurrent ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">The settings changed since the last preview. Preview again to see what would be sent.</p>
        ) : null}

        <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
          <Button type="submit" disabled={save.isPending || !name.trim() || !targetId || !sourceIds.length}>
            {save.isPending ? 'Saving…' : existing ? 'Save changes' : 'Save push'}
          </Button>
          <Button variant="secondary" disabled={preview.isPending || !targetId || !sourceIds.length} onClick={() => preview.mutate(previewInput)}>
            {preview.isPending ? 'Previewing…' : 'Preview'}
          </Button>
          <Button variant="ghost" onClick={onDone}>
            Cancel
          </Button>
        </div>
      </form>
    </Card>
  );
}

function groupTargets(targets: PushDestinationView['targets']): [string | undefined, PushDestinationView['targets']][] {
  const groups = new Map<string | undefined, PushDestinationView['targets']>();
  for (const target of targets) groups.set(target.group, [...(groups.get(target.group) ?? []), target]);
  return [...groups];
}
