import { describe, expect, it } from 'vitest';
import { activeFilters, pageCount, queueApiPath, queueFilters, queueHref, tabCount } from '../src/data/queue-query.js';
import { corrections, offeredSteps, stepBody, stepProblems, STEP_ORDER } from '../src/data/workflow.js';
import { editLock, firstWords, mayEdit, reportedLocked, shownState } from '../src/data/records.js';
import { photosToPrefetch } from '../src/photos/remote.js';
import { isTemporary } from '../src/sync/uploads.js';
import { isCurrent, menuFor } from '../src/ui/routes.js';
import { reviewQuery } from '../src/workspace/reviews.js';
import { chartPoints } from '../src/workspace/chart.js';
import { matchCandidates } from '../src/workspace/duplicate-search.js';
import { coordinates } from '../src/workspace/location.js';
import bundledMeta from '../src/data/meta.json';

const params = (s) => new URLSearchParams(s);

describe('the queue in the address', () => {
  it('defaults to new concerns, oldest first, page 1', () => {
    expect(queueFilters(params(''))).toEqual({ status: 'new', sort: 'oldest', page: 1 });
  });

  it('reads filters and ignores unknown values', () => {
    const f = queueFilters(params('status=bogus&sort=due&page=3&district=6501&q=%20ถนน%20&overdue=yes&priority=2'));
    expect(f).toEqual({ status: 'new', sort: 'due', page: 3, district: '6501', q: 'ถนน', priority: '2' });
  });

  it('asks the API for the open statuses together, with the page size', () => {
    const path = queueApiPath({ status: 'open', sort: 'oldest', page: 2, overdue: 'true' });
    const query = new URL(path, 'http://x').searchParams;
    expect(query.get('status')).toBe('new,accepted,in_progress');
    expect(query.get('overdue')).toBe('true');
    expect(query.get('page')).toBe('2');
    expect(query.get('per_page')).toBe('20');
  });

  it('goes back to page 1 when a filter changes, and keeps defaults out of the address', () => {
    const f = { status: 'new', sort: 'oldest', page: 4, district: '6501' };
    expect(queueHref(f, { category: 'roads' })).toBe('/app/queue?district=6501&category=roads');
    expect(queueHref(f, { page: 5 })).toBe('/app/queue?page=5&district=6501');
    expect(queueHref(f, { district: null })).toBe('/app/queue');
    expect(queueHref(f, { status: 'accepted', sort: 'due' })).toBe('/app/queue?status=accepted&sort=due&district=6501');
  });

  it('counts pages and tabs', () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(41)).toBe(3);
    const counts = { new: 2, accepted: 3, in_progress: 1, closed: 9 };
    expect(tabCount(counts, 'open')).toBe(6);
    expect(tabCount(counts, 'closed')).toBe(9);
    expect(tabCount(counts, 'rejected')).toBe(0);
    expect(tabCount(null, 'new')).toBeNull();
    expect(activeFilters({ status: 'new', q: 'x', village: 'v' })).toEqual(['village', 'q']);
  });
});

describe('workflow steps', () => {
  it('offers exactly what the server allows, in a fixed order', () => {
    expect(offeredSteps(['reject', 'accept', 'assign', 'fly'])).toEqual(['accept', 'assign', 'reject']);
    expect(offeredSteps(undefined)).toEqual([]);
    // every step the server knows (its meta, pinned to GET /api/meta by a pytest), once each
    const serverSteps = bundledMeta.enums.concern_actions.map((a) => a.name);
    expect([...STEP_ORDER].sort()).toEqual([...serverSteps].sort());
  });

  it('builds a step from the values it takes, numbers as numbers, empty ones left out', () => {
    const body = stepBody('assign', 'new', { assignee_id: '7', due_date: '2026-12-10', priority: '2', assignee_agency: ' ', note: ' go ', duplicate_of_id: 'x' });
    expect(body).toEqual({ action: 'assign', from_status: 'new', assignee_id: 7, due_date: '2026-12-10', priority: 2, note: 'go' });
    expect(stepBody('accept', 'new', { note: '' })).toEqual({ action: 'accept', from_status: 'new' });
    expect(stepBody('close', 'resolved', { note: ' ok ' })).toEqual({ action: 'close', from_status: 'resolved', note: 'ok' });
    expect(stepBody('confirm_fix', 'closed', { answer: 'not_fixed', note: ' ยังรั่ว ' })).toEqual({ action: 'confirm_fix', from_status: 'closed', answer: 'not_fixed', note: 'ยังรั่ว' });
    expect(stepBody('mark_duplicate', 'new', { duplicate_of_id: 'c2' })).toMatchObject({ duplicate_of_id: 'c2' });
  });

  it('asks for what a step needs before it is queued', () => {
    expect(stepProblems('reject', { note: '  ' })).toEqual(['step.need_note_reject']);
    expect(stepProblems('resolve', {})).toEqual(['step.need_note_resolve']);
    expect(stepProblems('mark_duplicate', {})).toEqual(['step.need_duplicate']);
    expect(stepProblems('assign', {})).toEqual(['step.need_assignment']);
    expect(stepProblems('assign', { assignee_id: '3', due_date: '10/12/2026' })).toEqual(['step.bad_due_date']);
    expect(stepProblems('assign', { priority: '1' })).toEqual([]);
    expect(stepProblems('accept', {})).toEqual([]);
  });
});

describe('records as the official sees them', () => {
  const synced = (extra = {}) => ({ state: 'synced', server: { photos: [{ sha256: 'a' }], missing_photos: [], ...extra }, pending: {} });

  it('is not "sent" while a photo has not reached the server', () => {
    expect(shownState(synced())).toBe('synced');
    expect(shownState(synced(), new Set(['a']))).toBe('photos');
    expect(shownState(synced({ missing_photos: ['a'] }))).toBe('photos');
    expect(shownState({ state: 'pending', server: null, pending: {} }, new Set(['a']))).toBe('pending');
  });

  it('shows the first words of a description', () => {
    expect(firstWords('  ถนน   ชำรุด ')).toBe('ถนน ชำรุด');
    expect(firstWords('one two three four five six', 14)).toBe('one two three…');
  });

  it('offers Edit only where the server would take it', () => {
    const official = { id: 1, role: 'official', district_codes: ['6501'] };
    const supervisor = { id: 2, role: 'supervisor', district_codes: ['6501'] };
    const theirs = { entity: 'concern', server: { version: 2 } };
    expect(mayEdit({ server: null }, {}, official)).toBe(true);
    expect(mayEdit(theirs, { created_by_id: 1, district_code: '6501' }, official)).toBe(true);
    expect(mayEdit(theirs, { created_by_id: 9, district_code: '6501' }, official)).toBe(false);
    expect(mayEdit(theirs, { created_by_id: 9, assignee_id: 1, district_code: '6501' }, official)).toBe(true);
    expect(mayEdit(theirs, { created_by_id: 9, district_code: '6501' }, supervisor)).toBe(true);
    expect(mayEdit(theirs, { created_by_id: 9, district_code: '6502' }, supervisor)).toBe(false);
  });
});

describe('photos from the server', () => {
  it('prefetches thumbnails of open records it did not take, once each, up to a limit', () => {
    const record = (id, status, shas, missing = []) => ({ id, entity: 'concern', server: { status, photos: shas.map((sha256) => ({ sha256 })), missing_photos: missing, updated_at: id }, pending: {} });
    const records = [record('1', 'new', ['a', 'b']), record('2', 'closed', ['c']), record('3', 'accepted', ['b', 'd', 'e'], ['e'])];
    expect(photosToPrefetch(records, ['a'])).toEqual(['b', 'd']);
    expect(photosToPrefetch(records, [], 1)).toEqual(['b']);
  });

  it('retries a photo after a passing server error, never after a refusal', () => {
    for (const status of [0, 500, 503, 409, 423, 429]) expect(isTemporary(status), String(status)).toBe(true);
    for (const status of [400, 403, 413, 415, 422]) expect(isTemporary(status), String(status)).toBe(false);
  });
});

describe('the menu', () => {
  it('keeps the official\'s three entries and adds the workspace for supervisors and admins', () => {
    expect(menuFor('official').map(([, key]) => key)).toEqual(['nav.home', 'nav.records', 'nav.assigned']);
    expect(isCurrent(menuFor('official')[1], '/app/record/abc')).toBe(true);
    expect(isCurrent(menuFor('official')[1], '/app/assigned')).toBe(false);
    expect(isCurrent(menuFor('supervisor')[2], '/app/review/inspection/x')).toBe(true);
    expect(isCurrent(menuFor('supervisor')[0], '/app/queue')).toBe(false);
    expect(menuFor('supervisor').map(([href]) => href)).toContain('/app/queue');
    expect(menuFor('supervisor').map(([href]) => href)).not.toContain('/app/admin/users');
    expect(menuFor('admin').map(([href]) => href)).toContain('/app/admin/users');
  });
});

describe('reviews, chart, duplicates, location', () => {
  it('passes only the filters of its kind to the API', () => {
    const q = reviewQuery('visits', params('district=6501&review=pending&page=2'));
    expect(q.filters).toEqual({ district: '6501' });
    expect(q.path).toBe('/api/visits?district=6501&page=2&per_page=20');
    expect(reviewQuery('inspections', params('followup_needed=true')).path).toContain('followup_needed=true');
  });

  it('draws higher scores higher, oldest on the left', () => {
    const [a, b] = chartPoints([{ percent: 40 }, { percent: 90 }], { width: 200, height: 100, margin: 10 });
    expect(a.x).toBeLessThan(b.x);
    expect(b.y).toBeLessThan(a.y);
    expect(chartPoints([{ percent: 150 }], { width: 200, height: 100, margin: 10 })[0]).toMatchObject({ x: 100, y: 10 });
  });

  it('finds duplicate candidates by their words or village', () => {
    const list = [{ summary: 'ถนนเป็นหลุม', village: { name_th: 'บ้านดอนทอง' } }, { summary: 'ไฟดับ', village: { name_th: 'บ้านหนองแขม' } }];
    expect(matchCandidates(list, 'หลุม')).toHaveLength(1);
    expect(matchCandidates(list, 'หนองแขม')[0].summary).toBe('ไฟดับ');
    expect(matchCandidates(list, ' ')).toHaveLength(2);
  });

  it('writes coordinates and a geo: link for the phone\'s map app', () => {
    expect(coordinates(16.8214, 100.2659)).toEqual({ text: '16.82140, 100.26590', href: 'geo:16.821400,100.265900' });
  });
});

// --- history (issue 13) ---
describe('a supervisor\'s correction and the locks the app respects', () => {
  it('sends only the reported fields changed, with the reason', () => {
    const detail = { description: 'น้ำท่วม หน้าวัด', category_code: 'water' };
    const values = { note: ' พิมพ์ผิด ', corrections: corrections(detail, { description: 'น้ำท่วม หน้าโรงเรียน ', category_code: 'water' }) };
    expect(stepBody('correct', 'accepted', values)).toEqual({
      action: 'correct', from_status: 'accepted', note: 'พิมพ์ผิด', corrections: { description: 'น้ำท่วม หน้าโรงเรียน' },
    });
    expect(stepProblems('correct', { note: '', corrections: {} })).toEqual(['step.need_note_correct', 'step.need_correction']);
    expect(stepProblems('correct', values)).toEqual([]);
  });

  it('offers no edit of a finished concern, and locks the report once accepted', () => {
    const record = { entity: 'concern', server: { version: 3 } };
    const author = { id: 7, role: 'official' };
    for (const status of ['closed', 'rejected', 'duplicate']) {
      expect(editLock('concern', { status })).toBe('record_read_only');
      expect(mayEdit(record, { status, created_by_id: 7 }, author)).toBe(false);
    }
    expect(mayEdit(record, { status: 'accepted', created_by_id: 7 }, author)).toBe(true);
    expect(reportedLocked('concern', { status: 'accepted' })).toBe(true);
    expect(reportedLocked('concern', { status: 'new' })).toBe(false);
    expect(editLock('visit', { status: 'closed' })).toBeNull();
  });
});
