/**
 * A small line chart of Clean & Tidy percentages over time, as inline SVG (no chart library):
 * one point per inspection, oldest left, 0–100 % up the side. Pure: returns markup data.
 */

/** Points for the inspections within a width × height box (with a margin for the labels). */
export function chartPoints(history, { width = 320, height = 140, margin = 24 } = {}) {
  const n = history.length;
  const step = n > 1 ? (width - 2 * margin) / (n - 1) : 0;
  return history.map((entry, i) => ({
    x: Math.round(margin + (n > 1 ? i * step : (width - 2 * margin) / 2)),
    y: Math.round(height - margin - (Math.max(0, Math.min(100, entry.percent ?? 0)) / 100) * (height - 2 * margin)),
    entry,
  }));
}

/** The SVG element, drawn with the DOM (namespaced). */
export function lineChart(history, label, { width = 320, height = 140, margin = 24 } = {}) {
  const ns = 'http://www.w3.org/2000/svg';
  const el = (tag, attrs, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'chart' });
  for (const level of [0, 50, 100]) {
    const y = height - margin - (level / 100) * (height - 2 * margin);
    svg.append(el('line', { x1: margin, x2: width - margin, y1: y, y2: y, stroke: '#c8d3c8' }),
      el('text', { x: 2, y: y + 4, 'font-size': 10, fill: '#4a5a4a' }, `${level}%`));
  }
  const points = chartPoints(history, { width, height, margin });
  if (points.length > 1) {
    svg.append(el('polyline', { points: points.map((p) => `${p.x},${p.y}`).join(' '), fill: 'none', stroke: '#1b5e20', 'stroke-width': 2 }));
  }
  for (const p of points) svg.append(el('circle', { cx: p.x, cy: p.y, r: 4, fill: '#1b5e20' }));
  return svg;
}
