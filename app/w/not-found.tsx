import { NotFoundMessage } from '@/components/not-found-message';

export default function WorkspaceNotFound() {
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50 px-4 py-12 dark:bg-slate-950">
      <NotFoundMessage
        title="Workspace not found"
        description="This workspace does not exist, or you are not a member of it. Ask one of its admins to add you."
      />
    </main>
  );
}
