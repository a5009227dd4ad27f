import { describe, expect, it } from 'vitest';
import { gradeFor, scoreInspection } from '../src/data/grade.js';

const template = {
  items: [{ key: 'a', max_score: 5 }, { key: 'b', max_score: 5 }],
  grades: [
    { grade: 'A', min_percent: 90 }, { grade: 'B', min_percent: 75 },
    { grade: 'C', min_percent: 60 }, { grade: 'D', min_percent: 0 },
  ],
};

describe('scoreInspection', () => {
  it('sums the scores and picks the grade reached', () => {
    const result = scoreInspection(template, { a: { score: 5 }, b: { score: 4 } });
    expect(result).toMatchObject({ total: 9, maxTotal: 10, answered: 2 });
    expect(result.grade.grade).toBe('A');
  });

  it('counts unanswered items as zero but not as answered', () => {
    const result = scoreInspection(template, { a: { score: 4 } });
    expect(result).toMatchObject({ total: 4, answered: 1 });
    expect(result.grade.grade).toBe('D');
  });

  it('clamps a score to the item maximum', () => {
    expect(scoreInspection(template, { a: { score: 9 }, b: { score: -3 } }).total).toBe(5);
  });

  it('gives a grade on the exact boundary', () => {
    expect(gradeFor(template.grades, 75).grade).toBe('B');
    expect(gradeFor(template.grades, 74.9).grade).toBe('C');
  });
});
