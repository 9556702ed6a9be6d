const ROLE_GUIDE = [
  { role: 'Owner', text: 'Everything, including making other people owners and removing owners.' },
  { role: 'Admin', text: 'Connects tools, edits mappings and schedules, and manages members.' },
  { role: 'Member', text: 'Sees everything in the workspace: integrations, sync history and activity.' },
  { role: 'Viewer', text: 'Read-only access.' },
];

export function RoleGuide() {
  return (
    <dl className="grid gap-3 text-sm sm:grid-cols-2">
      {ROLE_GUIDE.map(({ role, text }) => (
        <div key={role} className="rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-800/60">
          <dt className="font-medium text-slate-900 dark:text-slate-100">{role}</dt>
          <dd className="mt-0.5 text-slate-600 dark:text-slate-400">{text}</dd>
        </div>
      ))}
    </dl>
  );
}
