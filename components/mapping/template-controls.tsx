'use client';

import * as Dialog from '@radix-ui/react-dialog';
import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import type { UseMutationResult } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Alert, StatusMessage } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import type { AppliedTemplate, MappingTemplate, SavedTemplate } from '@/lib/client/mapping';
import { ChevronDownIcon } from './icons';
import { menuClasses, menuItemClasses } from './steps-editor';

interface TemplateControlsProps {
  templates: readonly MappingTemplate[];
  activeVersion: number | null;
  dirty: boolean;
  applyTemplate: UseMutationResult<AppliedTemplate, Error, string>;
  saveTemplate: UseMutationResult<SavedTemplate, Error, string>;
}

/** Apply a template (the provider default or one saved in the workspace), reset, or save one. */
export function TemplateControls({ templates, activeVersion, dirty, applyTemplate, saveTemplate }: TemplateControlsProps) {
  const [applying, setApplying] = useState<MappingTemplate | null>(null);
  const fallback = templates.find((t) => t.kind === 'default');
  const workspaceTemplates = templates.filter((t) => t.kind === 'workspace');

  function ask(template: MappingTemplate) {
    applyTemplate.reset();
    setApplying(template);
  }

  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2">
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <Button variant="secondary" size="sm" disabled={templates.length === 0}>
              Apply template
              <ChevronDownIcon />
            </Button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content align="start" sideOffset={4} collisionPadding={8} className={menuClasses}>
              {fallback ? (
                <DropdownMenu.Item className={menuItemClasses} onSelect={() => ask(fallback)}>
                  <span className="font-medium">{fallback.name}</span>
                  <span className="text-xs text-slate-500 dark:text-slate-400">What every new connection starts with</span>
                </DropdownMenu.Item>
              ) : null}
              {workspaceTemplates.length ? (
                <>
                  <DropdownMenu.Separator className="my-1 h-px bg-slate-200 dark:bg-slate-700" />
                  <DropdownMenu.Label className="px-2 py-1.5 text-xs font-medium text-slate-500 dark:text-slate-400">This workspace’s templates</DropdownMenu.Label>
                  {workspaceTemplates.map((t) => (
                    <DropdownMenu.Item key={t.id} className={menuItemClasses} onSelect={() => ask(t)}>
                      {t.name}
                    </DropdownMenu.Item>
                  ))}
                </>
              ) : null}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
        <SaveTemplateDialog activeVersion={activeVersion} dirty={dirty} saveTemplate={saveTemplate} />
        {fallback ? (
          <Button variant="ghost" size="sm" onClick={() => ask(fallback)}>
            Reset to default
          </Button>
        ) : null}
      </div>
      {saveTemplate.isSuccess ? <StatusMessage>Saved the template “{saveTemplate.data.template.name}”.</StatusMessage> : null}
      <ConfirmDialog
        open={applying !== null}
        onOpenChange={(open) => (open ? null : setApplying(null))}
        title={applying?.kind === 'default' ? 'Reset to the default mapping?' : `Apply “${applying?.name}”?`}
        description={
          <>
            {applying?.kind === 'default' ? `The ${applying.name} mapping` : 'The template'} is saved as a new version and re-applied to every
            stored record. Earlier versions stay in the list, so you can roll back.
            {dirty ? ' Your unsaved changes in the editor are thrown away.' : ''}
          </>
        }
        confirmLabel={applying?.kind === 'default' ? 'Reset to default' : 'Apply template'}
        pending={applyTemplate.isPending}
        error={applyTemplate.isError ? applyTemplate.error.message : null}
        onConfirm={() => applyTemplate.mutate(applying!.id, { onSuccess: () => setApplying(null) })}
      />
    </div>
  );
}

interface SaveTemplateDialogProps {
  activeVersion: number | null;
  dirty: boolean;
  saveTemplate: UseMutationResult<SavedTemplate, Error, string>;
}

function SaveTemplateDialog({ activeVersion, dirty, saveTemplate }: SaveTemplateDialogProps) {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (next) {
      setName('');
      saveTemplate.reset();
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    saveTemplate.mutate(name.trim(), { onSuccess: () => setOpen(false) });
  }

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Trigger asChild>
        <Button variant="secondary" size="sm" disabled={activeVersion === null}>
          Save as template
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-50 bg-slate-950/50 backdrop-blur-[1px]" />
        <Dialog.Content className="fixed top-1/2 left-1/2 z-50 max-h-[calc(100vh-2rem)] w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg border border-slate-200 bg-white p-6 shadow-xl dark:border-slate-700 dark:bg-slate-900">
          <Dialog.Title className="text-base font-semibold text-slate-900 dark:text-slate-100">Save as template</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-slate-600 dark:text-slate-400">
            Saves version {activeVersion} so other connections of this provider in the workspace can apply it.
            {dirty ? ' Unsaved changes are not included: save them first to include them.' : ''}
          </Dialog.Description>
          <form onSubmit={onSubmit} noValidate className="mt-5 space-y-4">
            <Field label="Template name" htmlFor="mapping-template-name">
              <Input id="mapping-template-name" value={name} maxLength={80} required autoComplete="off" onChange={(event) => setName(event.target.value)} />
            </Field>
            {saveTemplate.isError ? <Alert>{saveTemplate.error.message}</Alert> : null}
            <div className="flex flex-col-reverse gap-2 pt-2 sm:flex-row sm:justify-end">
              <Dialog.Close asChild>
                <Button variant="secondary">Cancel</Button>
              </Dialog.Close>
              <Button type="submit" disabled={saveTemplate.isPending || name.trim() === ''} aria-busy={saveTemplate.isPending}>
                {saveTemplate.isPending ? 'Saving…' : 'Save template'}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
