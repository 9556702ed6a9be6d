import type { SelectHTMLAttributes } from 'react';
import { controlClasses } from './input';

export function Select({ className = '', children, ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select className={`${controlClasses} pr-8 ${className}`} {...props}>
      {children}
    </select>
  );
}
