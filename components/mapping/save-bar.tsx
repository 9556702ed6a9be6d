import { Button } from '@/components/ui/button';
import { isLiveJob, type MappingJob } from '@/lib/client/mapping';

interface SaveBarProps {
  dirty: boolean;
  saving: boolean;
  job: MappingJob | null;
  onSave: () => void;
  onDiscard: () => void;
}

/** Stays in view at the bottom of the rows while they scroll, so Save is always at hand. */
export function SaveBar({ dirty, saving, job, onSave, onDiscard }: SaveBarProps) {
  const state = saving
    ? 'Saving…'
    : dirty
      ? 'Unsaved changes'
      : job && isLiveJob(job.status)
        ? `Saved. Re-applying version ${job.mappingVersion}: ${job.processed.toLocaleString('en')} of ${job.total.toLocaleString('en')} records`
        : 'No unsaved changes';
  return (
    <div className="sticky bottom-0 z-20 flex flex-wrap items-center justify-between gap-3 rounded-b-lg border-t border-slate-200 bg-white/95 px-4 py-3 backdrop-blur sm:px-5 dark:border-slate-800 dark:bg-slate-900/95">
      <p role="status" className="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
        {dirty ? <span aria-hidden="true" className="size-2 rounded-full bg-amber-500" /> : null}
        {state}
      </p>
      <div className="flex gap-2">
        <Button variant="secondary" onClick={onDiscard} disabled={!dirty || saving}>
          Discard
        </Button>
        <Button onClick={onSave} disabled={!dirty || saving} aria-busy={saving}>
          {saving ? 'Saving…' : 'Save'}
        </Button>
      </div>
    </div>
  );
}
