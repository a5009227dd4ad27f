// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { literalDefault } from '../src/surveys/answers.js';
import {
  buildInstance, evaluateSurvey, instanceText, questionPaths, rewriteRefs, startingAnswers,
} from '../src/surveys/engine.js';
import { HAZE } from './survey-fixture.js';

describe('XLSForm references to instance paths', () => {
  const paths = questionPaths(HAZE);

  it('names every question by its path, groups included', () => {
    expect(paths.get('kind')).toBe('/data/kind');
    expect(paths.get('causes')).toBe('/data/details/causes');
  });

  it('rewrites ${name} and refuses an unknown name', () => {
    expect(rewriteRefs("${kind} = 'smoke' and ${ distance_m } > 5", paths))
      .toBe("/data/kind = 'smoke' and /data/details/distance_m > 5");
    expect(() => rewriteRefs('${nope} > 1', paths)).toThrow(/nope/);
  });

  it('writes answers as ODK text: choices space-separated, a point as "lat lon alt accuracy"', () => {
    expect(instanceText({ type: 'select_multiple' }, ['a', 'b'])).toBe('a b');
    expect(instanceText({ type: 'geopoint' }, { lat: 16.8, lon: 100.2, accuracy_m: 7 })).toBe('16.8 100.2 0 7');
    const { doc } = buildInstance(HAZE, { kind: 'smoke', causes: ['farming'] });
    expect(doc.documentElement.querySelector('details > causes').textContent).toBe('farming');
  });
});

describe('evaluating a survey with openrosa-xpath-evaluator', () => {
  it('shows a relevant question only when its condition holds', () => {
    expect(evaluateSurvey(HAZE, { kind: 'smoke' }).relevant.has('area_rai')).toBe(false);
    expect(evaluateSurvey(HAZE, { kind: 'burn_spot' }).relevant.has('area_rai')).toBe(true);
  });

  it('hides a group and its children together', () => {
    const { relevant } = evaluateSurvey(HAZE, {});
    expect(relevant.has('details')).toBe(false);
    expect(relevant.has('distance_m')).toBe(false);
  });

  it('blocks a value against the constraint, with the form\'s message', () => {
    const bad = evaluateSurvey(HAZE, { kind: 'burn_spot', area_rai: -3 });
    expect(bad.problems.area_rai).toEqual({ kind: 'constraint', message: HAZE.questions[1].constraint_message });
    expect(evaluateSurvey(HAZE, { kind: 'burn_spot', area_rai: 3 }).problems).toEqual({});
  });

  it('names a required question left empty, and a number that is not one', () => {
    expect(evaluateSurvey(HAZE, {}).problems.kind).toMatchObject({ kind: 'required' });
    expect(evaluateSurvey(HAZE, { kind: 'smoke', distance_m: { invalid: 'integer' } }).problems.distance_m)
      .toEqual({ kind: 'type', type: 'integer' });
  });

  it('does not check a constraint of a question that is not relevant', () => {
    expect(evaluateSurvey(HAZE, { kind: 'smoke', area_rai: -3 }).problems).toEqual({});
  });

  it('calculates from other answers', () => {
    expect(evaluateSurvey(HAZE, { kind: 'burn_spot', area_rai: 2 }).values.area_sqm).toBe(3200);
    expect(evaluateSurvey(HAZE, { kind: 'smoke' }).values.area_sqm).toBe(null);
  });

  it('uses ODK functions (selected, count-selected)', () => {
    const form = { questions: [
      { name: 'c', type: 'select_multiple', choices: [] },
      { name: 'why', type: 'text', relevant: "selected(${c}, 'hunting') and count-selected(${c}) = 2" },
    ] };
    expect(evaluateSurvey(form, { c: ['farming', 'hunting'] }).relevant.has('why')).toBe(true);
    expect(evaluateSurvey(form, { c: ['hunting'] }).relevant.has('why')).toBe(false);
  });

  it('keeps a question with a broken expression shown and names it', () => {
    const form = { questions: [{ name: 'a', type: 'text', relevant: '${missing} = 1' }] };
    const result = evaluateSurvey(form, {});
    expect(result.relevant.has('a')).toBe(true);
    expect(result.broken[0]).toMatchObject({ name: 'a' });
  });

  it('starts with literal and dynamic defaults', () => {
    const answers = startingAnswers(HAZE, literalDefault);
    expect(answers.distance_m).toBe(100);
    expect(answers.found_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
