import { describe, expect, it } from 'vitest';
import { databasePoolMax } from '@/lib/db/app-database';

describe('DATABASE_POOL_MAX', () => {
  it('defaults to 10 connections per instance', () => {
    expect(databasePoolMax({})).toBe(10);
    expect(databasePoolMax({ DATABASE_POOL_MAX: '' })).toBe(10);
  });

  it('takes a whole number', () => {
    expect(databasePoolMax({ DATABASE_POOL_MAX: '4' })).toBe(4);
  });

  it.each(['0', '-2', '2.5', 'ten', '5000'])('refuses %s with a message naming the setting', (raw) => {
    expect(() => databasePoolMax({ DATABASE_POOL_MAX: raw })).toThrow(/DATABASE_POOL_MAX must be a whole number from 1 to 1000/);
  });
});
