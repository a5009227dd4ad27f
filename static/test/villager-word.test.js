import { describe, expect, it } from 'vitest';
import { awaitsWord, wordProblems, wordsIn, wordStep } from '../src/data/villager-word.js';
import { stepProblems } from '../src/data/workflow.js';
import { auditQuery, PER_PAGE } from '../src/workspace/admin-audit.js';
import { en } from '../src/i18n-en.js';
import { th } from '../src/i18n-th.js';

const concern = (status, extra = {}) => ({ id: 'c1', entity: 'concern', status, version: 4, ...extra });

describe("the villager's word", () => {
  it('is awaited on a resolved or closed concern nobody confirmed yet', () => {
    expect(awaitsWord(concern('resolved'))).toBe(true);
    expect(awaitsWord(concern('closed', { villager_confirmed: null }))).toBe(true);
    expect(awaitsWord(concern('closed', { villager_confirmed: true }))).toBe(false);
    expect(awaitsWord(concern('in_progress'))).toBe(false);
    expect(awaitsWord(concern('resolved', { deleted: true }))).toBe(false);
    expect(awaitsWord({ ...concern('resolved'), entity: 'visit' })).toBe(false);
  });

  it('needs an answer, and a note when it is not fixed', () => {
    expect(wordProblems(null, '')).toEqual(['word.need_answer']);
    expect(wordProblems('not_fixed', '  ')).toEqual(['word.need_note']);
    expect(wordProblems('not_fixed', 'ยังรั่ว')).toEqual([]);
    expect(wordProblems('fixed', '')).toEqual([]);
    expect(stepProblems('confirm_fix', { answer: 'not_fixed' })).toEqual(['word.need_note']);
  });

  it('becomes a confirm_fix step from the status the phone saw', () => {
    expect(wordStep(concern('closed'), 'fixed', ' ')).toEqual({ action: 'confirm_fix', from_status: 'closed', answer: 'fixed' });
    expect(wordStep(concern('resolved'), 'not_fixed', ' ยังรั่ว ')).toEqual({
      action: 'confirm_fix', from_status: 'resolved', answer: 'not_fixed', note: 'ยังรั่ว' });
  });

  it('is found in the outbox among other steps', () => {
    const words = wordsIn([{ op: 'transition', record_id: 'a', transition: { action: 'start' } },
      { op: 'transition', record_id: 'b', transition: { action: 'confirm_fix', answer: 'fixed' } }, { op: 'create', record_id: 'c' }]);
    expect([...words.keys()]).toEqual(['b']);
  });

  it('is worded in both languages, refusals too', () => {
    for (const key of ['word.title', 'word.fixed', 'word.not_fixed', 'word.pending_fixed', 'word.pending_not_fixed', 'word.refused',
      'step.confirm_fix', 'timeline.villager_fixed', 'timeline.villager_not_fixed', 'code.confirm_not_resolved',
      'code.already_confirmed', 'param.action.confirm_fix', 'param.who.district_official']) {
      expect(th, key).toHaveProperty([key]);
      expect(en, key).toHaveProperty([key]);
    }
  });
});

describe('the audit log screen', () => {
  it('asks for the province\'s days, the last one included, and leaves empty filters out', () => {
    const query = auditQuery(new URLSearchParams('action=device.revoke&actor=&from=2026-03-01&to=2026-03-31&page=3'));
    expect(Object.fromEntries(query)).toEqual({ action: 'device.revoke', from: '2026-03-01T00:00:00+07:00',
      to: '2026-04-01T00:00:00+07:00', page: '3', per_page: String(PER_PAGE) });
  });

  it('starts at page 1 whatever the address says', () => {
    expect(auditQuery(new URLSearchParams('page=x')).get('page')).toBe('1');
    expect(auditQuery(new URLSearchParams('page=-2')).get('page')).toBe('1');
  });
});
