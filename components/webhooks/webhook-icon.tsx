import { Icon, type IconProps } from '@/components/ui/icons';

/** An arrow landing in a tray: deliveries coming in. */
export const WebhookIcon = (p: IconProps) => (
  <Icon {...p}>
    <path d="M12 3v10M8 9l4 4 4-4" />
    <path d="M4 14v4a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-4" />
  </Icon>
);
