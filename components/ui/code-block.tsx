import type { HTMLAttributes } from 'react';

interface CodeBlockProps extends HTMLAttributes<HTMLPreElement> {
  /** Names the block for screen readers ("Example request: POST /api/v1/…"). */
  label: string;
}

// The app's focus ring drawn inside the edge: code blocks often sit in clipping (overflow-hidden) frames.
const insetFocusRing =
  'focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 dark:focus-visible:outline-indigo-400';

/**
 * Preformatted code that may scroll sideways. It takes keyboard focus (arrow keys then scroll it)
 * and is a named region, so people without a mouse can read the long lines too.
 */
export function CodeBlock({ label, className = '', ...props }: CodeBlockProps) {
  return <pre role="region" aria-label={label} tabIndex={0} className={`${className} ${insetFocusRing}`} {...props} />;
}
