import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useMeta } from '../src/data/meta.js';
import { buildMutation, newRecord } from '../src/data/records.js';
import { offeredForms } from '../src/data/forms.js';
import { importReference, planImport } from '../src/data/importer.js';
import {
  answerPhotos, answersForSave, literalDefault, parseTyped, surveyPosition, surveyValues,
} from '../src/surveys/answers.js';
import { HAZE } from './survey-fixture.js';

const NOW = new Date('2026-12-03T02:30:00Z');
// The survey entity as the server describes it (GET /api/meta): answers merge item by item.
const META = { entities: { survey: { fields: {}, item_maps: ['answers'], workflow_fields: [],
  server_fields: ['id', 'version', 'deleted', 'district_code', 'created_by_id', 'device_id', 'observed_at',
    'created_at', 'updated_at', 'field_versions', 'photos', 'missing_photos', 'conflicts', 'form_key',
    'form_version', 'concern_ids'] } }, enums: {} };

function synced(fields) {
  return { ...newRecord('survey', 's1', NOW), server: { id: 's1', version: 4, ...fields }, state: 'synced', queued: true };
}

describe('answers as the wire sends them', () => {
  it('parses typed text to the question type, naming what is not a number', () => {
    expect(parseTyped({ type: 'integer' }, '12')).toBe(12);
    expect(parseTyped({ type: 'integer' }, '1.5')).toEqual({ invalid: 'integer' });
    expect(parseTyped({ type: 'decimal' }, '2.5')).toBe(2.5);
    expect(parseTyped({ type: 'text' }, '')).toBe(null);
    expect(parseTyped({ type: 'select_multiple' }, [])).toBe(null);
    expect(literalDefault({ type: 'integer', default: '100' })).toBe(100);
  });

  it('keeps only answers of relevant questions of the form, empty ones left out', () => {
    const answers = { kind: 'smoke', area_rai: 5, distance_m: 20, causes: [], stranger: 'x', note1: 'n' };
    expect(answersForSave(HAZE, answers, new Set(['kind', 'distance_m', 'causes'])))
      .toEqual({ kind: 'smoke', distance_m: 20 });
  });

  it('links the image answer\'s photo under the question name and takes the first geopoint as position', () => {
    const answers = { photo: 'ab'.repeat(32), where: { lat: 16.8, lon: 100.3, accuracy_m: 6 } };
    expect(answerPhotos(HAZE, answers)).toEqual([{ sha256: 'ab'.repeat(32), caption: '', position: 0, item_key: 'photo', role: 'before' }]);
    expect(surveyPosition(HAZE, answers, { lat: 1, lon: 2, gps_accuracy_m: 3 })).toEqual({ lat: 16.8, lon: 100.3, gps_accuracy_m: 6 });
    expect(surveyPosition(HAZE, {}, { lat: 1, lon: 2, gps_accuracy_m: 3 })).toEqual({ lat: 1, lon: 2, gps_accuracy_m: 3 });
  });
});

describe('answers to mutations', () => {
  beforeEach(() => useMeta(META));
  afterEach(() => useMeta(null));

  it('creates with every answer, the village, the form version and the photo', () => {
    const values = surveyValues({ definition: HAZE, formId: '7', villageId: 'v1', visitId: 'vis1',
      answers: { kind: 'burn_spot', area_rai: 3, photo: 'cd'.repeat(32) }, now: NOW });
    const m = buildMutation({ record: newRecord('survey', 's1', NOW), changed: values, mutationId: 'm1', now: NOW });
    expect(m).toMatchObject({ op: 'create', entity: 'survey', base_version: 0,
      fields: { form_id: 7, village_id: 'v1', visit_id: 'vis1', answers: { kind: 'burn_spot', area_rai: 3, photo: 'cd'.repeat(32) } } });
    expect(m.fields.filled_at).toMatch(/[+-]\d\d:\d\d$/);
    expect(m.photos).toEqual([{ sha256: 'cd'.repeat(32), caption: '', position: 0, item_key: 'photo', role: 'before' }]);
  });

  it('an edit sends only the answers it changed, and a cleared one as null', () => {
    const record = synced({ form_id: 7, village_id: 'v1', answers: { kind: 'burn_spot', area_rai: 3, distance_m: 50 } });
    const changed = { answers: { kind: 'burn_spot', area_rai: 4 } };
    const m = buildMutation({ record, changed, mutationId: 'm2', now: NOW });
    expect(m).toMatchObject({ op: 'update', base_version: 4 });
    expect(m.fields).toEqual({ answers: { area_rai: 4, distance_m: null } });
  });

  it('never sends what the server sets (form key, version, concerns raised)', () => {
    const record = synced({ form_id: 7, form_key: 'haze', concern_ids: ['c1'] });
    const m = buildMutation({ record, changed: { notes: 'n' }, mutationId: 'm3', now: NOW });
    expect(m.fields).toEqual({ notes: 'n' });
  });
});

describe('forms on the phone', () => {
  it('are reference data pulled into their own store; surveys are records', () => {
    expect(importReference({ entity: 'form', id: '7', record: { id: '7' } })).toEqual({ store: 'forms', op: 'put', value: { id: '7' } });
    const plan = planImport([{ entity: 'survey', id: 's1', record: { id: 's1', version: 1 } }], new Map());
    expect(plan.records[0]).toMatchObject({ kind: 'created' });
  });

  it('offer the newest version of each form that is not retired', () => {
    const versions = [
      { id: '1', form_key: 'haze', title_th: 'ข', retired: false },
      { id: '3', form_key: 'haze', title_th: 'ข', retired: false },
      { id: '2', form_key: 'veg', title_th: 'ก', retired: false },
      { id: '4', form_key: 'old', title_th: 'ค', retired: true },
    ];
    expect(offeredForms(versions).map((f) => f.id)).toEqual(['2', '3']);
  });
});
