import { darkenForWhiteText } from '@/components/ui/contrast';

/**
 * The provider's initials on its brand colour (we ship no third-party logos). Decorative, but the
 * initials are still read by sighted people: a light brand colour is darkened until white reaches AA.
 */
export function ProviderTile({ color, initials, size = 'md' }: { color: string; initials: string; size?: 'md' | 'lg' }) {
  const sizing = size === 'lg' ? 'size-14 text-lg rounded-xl' : 'size-10 text-sm rounded-lg';
  return (
    <span
      aria-hidden="true"
      style={{ backgroundColor: darkenForWhiteText(color) }}
      className={`flex shrink-0 items-center justify-center font-semibold tracking-wide text-white shadow-sm ring-1 ring-black/10 ring-inset dark:ring-white/20 ${sizing}`}
    >
      {initials}
    </span>
  );
}
