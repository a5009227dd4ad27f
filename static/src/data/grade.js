/** The Clean & Tidy score of an inspection, computed the way the server computes it. */

/** Sum the item scores (clamped to each item's maximum) and pick the grade. */
export function scoreInspection(template, scores) {
  let total = 0;
  let maxTotal = 0;
  let answered = 0;
  for (const item of template?.items ?? []) {
    const max = Number(item.max_score) || 0;
    maxTotal += max;
    const raw = scores?.[item.key]?.score;
    if (raw === undefined || raw === null || raw === '') continue;
    const score = Math.min(max, Math.max(0, Number(raw) || 0));
    total += score;
    answered += 1;
  }
  const percent = maxTotal ? (total * 100) / maxTotal : 0;
  return { total, maxTotal, percent, answered, grade: gradeFor(template?.grades ?? [], percent) };
}

/** The best grade whose minimum percent is reached; grades are listed best first. */
export function gradeFor(grades, percent) {
  const sorted = [...grades].sort((a, b) => b.min_percent - a.min_percent);
  return sorted.find((g) => percent >= g.min_percent) ?? null;
}
