import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../src/i18n-en.js';
import { serverMessagesTh, th } from '../src/i18n-th.js';
import { formatDate, formatDateTime, refusal, serverMessage, setLanguage } from '../src/i18n.js';
import { TOPICS } from '../src/ui/visit-form.js';
import { URGENCIES } from '../src/ui/concern-form.js';
import { PLACE_TYPES } from '../src/ui/inspection-form.js';
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
      ...TOPICS.map((k) => `topic.${k}`), ...URGENCIES.map((k) => `urgency.${k}`), ...PLACE_TYPES.map((k) => `place.${k}`),
      ...['new', 'accepted', 'in_progress', 'resolved', 'closed', 'rejected', 'duplicate'].map((k) => `status.${k}`),
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

describe('serverMessage', () => {
  globalThis.document ??= { documentElement: {} };

  it('puts the server\'s field messages in Thai, numbers and choices kept', () => {
    setLanguage('th');
    expect(serverMessage('Missing data for required field.')).toBe('ต้องกรอกช่องนี้');
    expect(serverMessage('Longer than maximum length 20000.')).toBe('ยาวได้ไม่เกิน 20000 ตัวอักษร');
    expect(serverMessage('At most 50 items.')).toBe('ได้ไม่เกิน 50 รายการ');
    expect(serverMessage('At most 5.')).toBe('ได้ไม่เกิน 5');
    expect(serverMessage('Must be one of: low, normal, high, critical.'))
      .toBe('ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: low, normal, high, critical');
    expect(serverMessage('Must be greater than or equal to 0 and less than or equal to 10.'))
      .toBe('ต้องอยู่ระหว่าง 0 ถึง 10');
    expect(serverMessage('status is a workflow field: change it with a transition.'))
      .toBe('ช่องนี้เปลี่ยนได้ด้วยการดำเนินการเรื่องเท่านั้น');
  });

  it('leaves English as the server wrote it, and an unknown message as it came', () => {
    setLanguage('en');
    expect(serverMessage('Missing data for required field.')).toBe('Missing data for required field.');
    setLanguage('th');
    expect(serverMessage('A message from a newer server.')).toBe('A message from a newer server.');
    expect(serverMessage({ score: ['Not a valid integer.'] })).toBe('{"score":["Not a valid integer."]}');
  });

  it('has templates whose Thai names only parts the English carries', () => {
    for (const [english, thai] of serverMessagesTh) {
      expect(thai, english).not.toBe('');
      const carried = new Set([...english.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
      for (const [, name] of thai.matchAll(/\{(\w+)\}/g)) expect(carried, `${english} -> ${name}`).toContain(name);
    }
  });
});
