export function DemoHint({ email, password }: { email: string; password: string }) {
  return (
    <aside
      aria-label="Demo account"
      className="mt-4 rounded-lg border border-indigo-200 bg-indigo-50 px-4 py-3 text-sm text-indigo-900 dark:border-indigo-900 dark:bg-indigo-950/50 dark:text-indigo-200"
    >
      Demo admin: <span className="font-mono">{email}</span> / <span className="font-mono">{password}</span>
    </aside>
  );
}
