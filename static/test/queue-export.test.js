import { describe, expect, it } from 'vitest';
import { exportApiPath, mayExport, mayExportPersonalData } from '../src/workspace/queue-export.js';
import { publishablePhotos } from '../src/workspace/public-photos.js';
import { queueFilters } from '../src/data/queue-query.js';
import { en } from '../src/i18n-en.js';
import { th } from '../src/i18n-th.js';

describe('queue export', () => {
  it('carries the queue filters, every page, and the open tab as its statuses', () => {
    const filters = queueFilters(new URLSearchParams('status=open&district=6501&q=ถนน&overdue=true&page=3&sort=due'));
    const url = new URL(exportApiPath(filters, 'xlsx'), 'https://x');
    expect(url.pathname).toBe('/api/exports/concerns');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: 'new,accepted,in_progress', district: '6501', q: 'ถนน', overdue: 'true', format: 'xlsx',
    });
  });

  it('asks for reporter data only when ticked', () => {
    const filters = queueFilters(new URLSearchParams(''));
    expect(exportApiPath(filters, 'csv', true)).toBe('/api/exports/concerns?status=new&format=csv&personal=true');
    expect(exportApiPath(filters)).toBe('/api/exports/concerns?status=new&format=csv');
  });

  it('is offered to the roles the server allows', () => {
    expect(mayExport({ role: 'official' })).toBe(false);
    expect(mayExportPersonalData({ role: 'official' })).toBe(false);
    expect(mayExportPersonalData({ role: 'supervisor' })).toBe(true);
    expect(mayExport({ role: 'admin' })).toBe(true);
  });

  it('has every string in both languages', () => {
    const keys = (dict) => Object.keys(dict).filter((k) => /^(export|publish)\./.test(k)).sort();
    expect(keys(th)).toEqual(keys(en));
    expect(keys(th).length).toBeGreaterThan(15);
  });
});

describe('publishable photos', () => {
  it('lists each photo once, before then after, with what is shown', () => {
    const photos = [
      { sha256: 'a', role: 'after', present: true },
      { sha256: 'b', role: 'before', present: true },
      { sha256: 'a', role: 'after', item_key: 'x', present: true },
      { sha256: 'c', role: 'before', present: false },
    ];
    const out = publishablePhotos(photos, new Set(['a']));
    expect(out.map((p) => [p.sha256, p.role, p.on, p.present])).toEqual([
      ['b', 'before', false, true], ['c', 'before', false, false], ['a', 'after', true, true],
    ]);
  });
});
