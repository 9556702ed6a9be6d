// Re-applying a mapping to stored records: the job row is created by the editor, and lib/jobs
// decides who runs it (an Inngest event, or the in-process loop; `none` only queues).
import type { Db } from '../db/engine';
import { dispatch } from '../jobs/dispatch';
import { mappingReapplyRequested } from '../jobs/mapping';

export async function startReapply(db: Db, job: { jobId: string; connectionId: string }): Promise<void> {
  await dispatch(db, mappingReapplyRequested(job));
}
