import { Icon, type IconProps } from '@/components/ui/icons';

/** A lightning bolt: something done at a provider. */
export const BoltIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M13 2L4.5 13.5H12L11 22l8.5-11.5H12L13 2z" />
  </Icon>
);

/** Braces: the API reference. */
export const BracesIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M8 3H7a2 2 0 0 0-2 2v4a2 2 0 0 1-2 2 2 2 0 0 1 2 2v4a2 2 0 0 0 2 2h1M16 3h1a2 2 0 0 1 2 2v4a2 2 0 0 0 2 2 2 2 0 0 0-2 2v4a2 2 0 0 1-2 2h-1" />
  </Icon>
);
