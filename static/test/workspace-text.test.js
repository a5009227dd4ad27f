import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { NetworkError } from '../src/api.js';
import { useDatabase } from '../src/data/db.js';
import { discardStep, getRecord, queuedSteps, queueStep, saveRecord } from '../src/data/store.js';
import { knownPeople, peopleIn, rememberPeople } from '../src/data/people.js';
import { en } from '../src/i18n-en.js';
import { th } from '../src/i18n-th.js';
import { setLanguage } from '../src/i18n.js';
import { STEP_ORDER } from '../src/data/workflow.js';
import { QUEUE_TABS, SORTS } from '../src/data/queue-query.js';
import { REVIEW_STATES } from '../src/workspace/reviews.js';
import { ROLES } from '../src/workspace/admin-users.js';
import { syncMessage } from '../src/ui/sync-status.js';
import { actorName, assignmentText, entryText } from '../src/ui/timeline.js';

globalThis.document ??= { documentElement: {} };

describe('workspace strings', () => {
  it('exist in both languages for every key built at run time', () => {
    const keys = [
      ...STEP_ORDER.map((a) => `step.${a}`), 'step.note_reject', 'step.note_resolve', 'step.need_note_reject',
      'step.need_note_resolve', 'step.need_duplicate', 'step.need_assignment', 'step.bad_due_date',
      ...SORTS.map((s) => `queue.sort_${s}`), ...QUEUE_TABS.filter((s) => s !== 'open').map((s) => `status.${s}`),
      ...REVIEW_STATES.map((s) => `review.${s}`), ...ROLES.map((r) => `role.${r}`), 'state.photos',
      'reviews.visits', 'reviews.inspections', 'reviews.done_approve', 'reviews.done_request_reinspection',
      ...['overdue', 'new', 'assigned_to_me', 'inspections_to_review'].map((k) => `summary.${k}`),
      'photo.before', 'photo.after', 'photo.before_n', 'photo.after_n', 'nav.queue', 'nav.reviews', 'nav.admin',
      'admin.device', 'admin.signed_in', 'admin.last_seen', 'admin.state', 'cleantidy.date', 'cleantidy.score', 'timeline.escalation',
    ];
    for (const key of keys) {
      expect(th, key).toHaveProperty([key]);
      expect(en, key).toHaveProperty([key]);
    }
  });
});

describe('the sync line', () => {
  it('reads no signal as a normal state, in the language chosen now', () => {
    const offline = { error: new NetworkError('offline') };
    globalThis.navigator ??= {};
    const online = Object.getOwnPropertyDescriptor(globalThis.navigator, 'onLine');
    Object.defineProperty(globalThis.navigator, 'onLine', { value: false, configurable: true });
    try {
      setLanguage('th');
      expect(syncMessage('error', offline)).toBe('ออฟไลน์ — จะส่งเมื่อมีสัญญาณ');
      setLanguage('en');
      expect(syncMessage('error', offline)).toBe('Offline — will send when there is signal');
      expect(syncMessage('error', offline)).not.toMatch(/ส่งข้อมูลไม่สำเร็จ|offline$/);
    } finally {
      if (online) Object.defineProperty(globalThis.navigator, 'onLine', online);
      else delete globalThis.navigator.onLine;
      setLanguage('th');
    }
  });

  it('says a photo that met a server error will be retried', () => {
    setLanguage('th');
    const text = syncMessage('done', { result: { pushed: { confirmed: 1 }, uploads: { uploaded: 0, refused: [], retry: [{ sha256: 'a', status: 503 }] }, pulled: {} } });
    expect(text).toContain('จะลองส่งใหม่อัตโนมัติ');
    expect(text).not.toContain('เซิร์ฟเวอร์ไม่รับรูป');
    expect(syncMessage('error', { error: Object.assign(new Error('x'), { status: 502 }), retryAt: 1 })).toContain('จะลองส่งใหม่');
  });
});

describe('the timeline', () => {
  it('names who did each step, to whom, by when and at what priority', () => {
    setLanguage('en');
    const names = { 7: 'Somchai' };
    expect(actorName({ actor: { id: 3, display_name: 'Head Nok' } }, names)).toBe('Head Nok');
    expect(actorName({ created_by_id: 7 }, names)).toBe('Somchai');
    expect(actorName({ created_by_id: 1 }, names, { id: 1, display_name: 'Me Myself' })).toBe('Me Myself');
    expect(actorName({ created_by_id: 99 }, names)).toBe('another user');
    expect(assignmentText({ assignee: { id: 7, display_name: 'Somchai' }, due_date: '2026-12-10', priority: 2 }))
      .toBe('to Somchai · due 10 Dec 2026 · priority 2');
    expect(entryText({ kind: 'assignment', data: { assignee_id: 7 } }, names)).toBe('Assigned: to Somchai');
    expect(entryText({ kind: 'status', from_status: 'new', to_status: 'accepted' })).toBe('Status changed New → Accepted');
    setLanguage('th');
    expect(assignmentText({ due_date: '2026-12-10' })).toContain('2569');
  });
});

describe('steps in the outbox', () => {
  beforeEach(async () => {
    await useDatabase(`ws-${crypto.randomUUID()}`);
  });

  it('queues a supervisor\'s step on a concern the phone has not pulled, from the version shown', async () => {
    const entry = await queueStep('c9', { action: 'assign', from_status: 'new', assignee_id: 4 }, { baseVersion: 3 });
    expect(entry).toMatchObject({ entity: 'concern', record_id: 'c9', op: 'transition', base_version: 3, state: 'pending' });
    expect(await getRecord('c9')).toBeUndefined();
    expect((await queuedSteps('c9')).map((e) => e.transition.action)).toEqual(['assign']);
  });

  it('marks a concern on the phone as waiting, and takes back only a refused step', async () => {
    await saveRecord('concern', 'c1', { village_id: 'v', category_code: 'roads', description: 'x', photos: [] });
    const step = await queueStep('c1', { action: 'accept', from_status: 'new' });
    expect((await getRecord('c1')).state).toBe('pending');
    await discardStep(step.seq);
    expect(await queuedSteps('c1')).toHaveLength(1); // still pending: never discarded
  });
});

describe('people', () => {
  beforeEach(async () => {
    await useDatabase(`people-${crypto.randomUUID()}`);
  });

  it('remembers the names a concern detail gives', async () => {
    const detail = { assignee: { id: 4, display_name: 'Nid' }, timeline: [{ actor: { id: 2, display_name: 'Head' }, data: { assignee: { id: 4, display_name: 'Nid' } } }] };
    await rememberPeople(peopleIn(detail));
    expect(await knownPeople()).toEqual({ 2: 'Head', 4: 'Nid' });
  });
});
