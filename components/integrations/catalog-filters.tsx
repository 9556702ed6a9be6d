'use client';

import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { CatalogProvider, ProviderCategory } from '@/lib/client/types';

export const CATEGORIES: readonly ProviderCategory[] = ['Calendar', 'CRM', 'Booking', 'Email', 'Messaging', 'Marketing', 'Database', 'Developer'];

export interface CatalogFilter {
  search: string;
  category: ProviderCategory | '';
}

export function matchesFilter(provider: CatalogProvider, { search, category }: CatalogFilter): boolean {
  if (category && provider.category !== category) return false;
  const needle = search.trim().toLowerCase();
  if (!needle) return true;
  return [provider.name, provider.description, ...provider.capabilities].some((text) => text.toLowerCase().includes(needle));
}

export function CatalogFilters({ filter, onChange }: { filter: CatalogFilter; onChange: (next: CatalogFilter) => void }) {
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:items-end">
      <div className="sm:flex-1">
        <label htmlFor="catalog-search" className="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-200">
          Search providers
        </label>
        <Input
          id="catalog-search"
          type="search"
          value={filter.search}
          placeholder="Name, description or capability"
          onChange={(event) => onChange({ ...filter, search: event.target.value })}
        />
      </div>
      <div className="sm:w-56">
        <label htmlFor="catalog-category" className="mb-1.5 block text-sm font-medium text-slate-700 dark:text-slate-200">
          Category
        </label>
        <Select
          id="catalog-category"
          value={filter.category}
          onChange={(event) => onChange({ ...filter, category: event.target.value as CatalogFilter['category'] })}
        >
          <option value="">All categories</option>
          {CATEGORIES.map((category) => (
            <option key={category} value={category}>
              {category}
            </option>
          ))}
        </Select>
      </div>
    </div>
  );
}
