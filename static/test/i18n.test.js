import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n-en.js';
import { th } from '../src/i18n-th.js';
import { codedMessage, fieldMessages, formatDate, formatDateTime, refusal, setLanguage } from '../src/i18n.js';
import { enumeration } from '../src/data/meta.js';
import { FIELD_LABELS } from '../src/ui/form-common.js';

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.js') ? [path] : [];
  });
}

describe('the two languages', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(th).sort());
  });

  it('have no empty text', () => {
    for (const dict of [th, en]) for (const [key, text] of Object.entries(dict)) expect(text, key).not.toBe('');
  });

  it('translate every key the code names', () => {
    const src = new URL('../src', import.meta.url).pathname;
    const used = new Set();
    for (const file of sources(src)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\('([a-z_]+\.[a-z_.]+)'/g)) used.add(match[1]);
    }
    const dynamic = [
      // the server's enumerations (GET /api/meta, as built into the app)
      ...enumeration('topics').map((k) => `topic.${k}`), ...enumeration('urgencies').map((k) => `urgency.${k}`),
      ...enumeration('place_types').map((k) => `place.${k}`), ...enumeration('concern_statuses').map((k) => `status.${k}`),
      ...enumeration('concern_actions').map((a) => `param.action.${a.name}`),
      ...['draft', 'pending', 'synced', 'attention'].map((k) => `state.${k}`),
      ...['visit', 'inspection', 'concern'].map((k) => `entity.${k}`),
      ...['comment', 'assignment', 'reminder'].map((k) => `timeline.${k}`),
      ...Object.values(FIELD_LABELS),
    ];
    for (const key of [...used, ...dynamic]) {
      expect(th, key).toHaveProperty([key]);
      expect(en, key).toHaveProperty([key]);
    }
  });
});

describe('dates', () => {
  it('show Buddhist-era years in Thai', () => {
    expect(formatDateTime('2026-03-01T09:30:00+07:00', 'th')).toContain('2569');
    expect(formatDate('2026-03-01', 'th')).toContain('2569');
  });

  it('show Common-era years in English', () => {
    expect(formatDate('2026-03-01', 'en')).toContain('2026');
  });

  it('show nothing for a missing or broken date', () => {
    expect(formatDateTime(null)).toBe('');
    expect(formatDateTime('not a date')).toBe('');
  });
});

describe('refusal', () => {
  // Every rejection reason docs/sync-protocol.md lists, and the phone's own too_large.
  const DOCUMENTED = ['validation', 'out_of_scope', 'forbidden', 'not_found', 'deleted', 'append_only',
    'invalid_base_version', 'invalid_transition', 'stale_transition', 'mutation_id_taken', 'too_large'];

  it('explains every documented reason in both languages', () => {
    const doc = readFileSync(new URL('../../docs/sync-protocol.md', import.meta.url), 'utf8');
    for (const reason of DOCUMENTED.filter((r) => r !== 'too_large')) expect(doc, reason).toContain(`\`${reason}\``);
    for (const reason of DOCUMENTED) {
      expect(th[`reason.${reason}`], reason).toBeTruthy();
      expect(en[`reason.${reason}`], reason).toBeTruthy();
    }
  });

  it('speaks the chosen language and falls back to the server\'s words', () => {
    globalThis.document ??= { documentElement: {} }; // setLanguage marks <html lang>
    setLanguage('th');
    expect(refusal('out_of_scope', 'District 6502 is outside your districts.')).toBe(th['reason.out_of_scope']);
    setLanguage('en');
    expect(refusal('out_of_scope', '')).toBe(en['reason.out_of_scope']);
    expect(refusal('something_new', 'A newer server says why.')).toBe('A newer server says why.');
    setLanguage('th');
  });
});

describe('coded refusals', () => {
  globalThis.document ??= { documentElement: {} };
  const label = (name) => `«${name}»`;

  it('word each code in the chosen language, parameters filled in', () => {
    setLanguage('th');
    expect(codedMessage({ code: 'required', params: {} }, 'Missing data for required field.')).toBe('ต้องกรอกช่องนี้');
    expect(codedMessage({ code: 'too_long', params: { max: 20000 } }, '')).toBe('ยาวได้ไม่เกิน 20000 ตัวอักษร');
    expect(codedMessage({ code: 'one_of', params: { choices: ['low', 'normal'] } }, '')).toBe('ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: low, normal');
    setLanguage('en');
    expect(codedMessage({ code: 'score_too_high', params: { max: 5 } }, 'At most 5.')).toBe('A score of at most 5.');
    setLanguage('th');
  });

  it('pick the wording for the parameters present', () => {
    setLanguage('en');
    expect(codedMessage({ code: 'out_of_range', params: { min: 0, max: 10 } }, '')).toBe('Between 0 and 10.');
    expect(codedMessage({ code: 'out_of_range', params: { min: 0 } }, '')).toBe('At least 0.');
    expect(codedMessage({ code: 'out_of_range', params: { min: null, max: 5 } }, '')).toBe('At most 5.');
    setLanguage('th');
  });

  it('word statuses, steps, roles and fields, not their codes', () => {
    setLanguage('th');
    const step = { code: 'invalid_transition', params: { action: 'close', status: 'new', allowed: ['resolved'] } };
    expect(codedMessage(step, '')).toBe(`เรื่องที่มีสถานะ ${th['status.new']} ทำขั้นตอน "${th['param.action.close']}" ไม่ได้ (ทำได้จากสถานะ: ${th['status.resolved']})`);
    const who = { code: 'transition_forbidden', params: { action: 'close', who: ['assignee', 'supervisor'] } };
    expect(codedMessage(who, '')).toContain(`${th['param.who.assignee']} หรือ ${th['param.who.supervisor']}`);
    setLanguage('en');
    expect(codedMessage({ code: 'changed_since', params: { fields: ['status', 'priority'] } }, '', label))
      .toBe('«status», «priority» changed on the server since this phone looked.');
    setLanguage('th');
  });

  it('word a field\'s own rule by its own wording when there is one', () => {
    setLanguage('th');
    expect(codedMessage({ field: 'reporter_phone', code: 'pattern', params: {} }, '')).toBe(th['code.pattern@reporter_phone']);
    expect(codedMessage({ field: 'transition.sha', code: 'pattern', params: {} }, '')).toBe(th['code.pattern']);
    expect(codedMessage({ field: 'companions', code: 'too_long', params: { max: 50 } }, '')).toBe('ได้ไม่เกิน 50 รายการ');
  });

  it('show an unknown code, or a message without one, as the server sent it', () => {
    setLanguage('th');
    expect(codedMessage({ code: 'from_a_newer_server', params: {} }, 'A newer rule.')).toBe('A newer rule.');
    expect(codedMessage(undefined, 'Sent before codes existed.')).toBe('Sent before codes existed.');
  });

  it('give one message per message of a field, by its codes', () => {
    setLanguage('th');
    const refused = {
      errors: { notes: ['Longer than maximum length 20000.', 'Something new.'], village_id: ['Unknown village.'] },
      error_codes: [
        { field: 'village_id', code: 'unknown_village', params: {} },
        { field: 'notes', code: 'too_long', params: { max: 20000 } },
        { field: 'notes', code: 'brand_new', params: {} },
      ],
    };
    expect(fieldMessages(refused, 'notes')).toEqual(['ยาวได้ไม่เกิน 20000 ตัวอักษร', 'Something new.']);
    expect(fieldMessages(refused, 'village_id')).toEqual([th['code.unknown_village']]);
    // An entry refused before the server sent codes keeps its English words.
    expect(fieldMessages({ errors: { notes: ['Too long.'] } }, 'notes')).toEqual(['Too long.']);
    expect(fieldMessages(refused, 'topics')).toEqual([]);
  });

  it('word only parameters the English carries as well (each code\'s placeholders are the same in both)', () => {
    for (const key of Object.keys(th).filter((k) => k.startsWith('code.'))) {
      const names = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(names(th[key]), key).toEqual(names(en[key]));
    }
  });
});
