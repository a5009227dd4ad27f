/**
 * The dashboard's two charts. Chart.js is imported only here, and this module only by the
 * dashboard screen (a dynamic import), so the rest of the app never downloads it.
 */
import {
  BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip,
} from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const GREEN = '#1b5e20';
const LIGHT = '#9ccc65';
const AMBER = '#e6a100';

function bar(canvas, labels, datasets, stacked = false) {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { x: { stacked }, y: { stacked, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

/** Received, resolved and overdue concerns per district. */
export function districtChart(canvas, rows, label, names) {
  return bar(canvas, rows.map((r) => label(r.district_code)), [
    { label: names.received, data: rows.map((r) => r.received), backgroundColor: LIGHT },
    { label: names.resolved, data: rows.map((r) => r.resolved), backgroundColor: GREEN },
    { label: names.overdue, data: rows.map((r) => r.overdue), backgroundColor: AMBER },
  ]);
}

/** Concerns, resolutions and visits per month. */
export function monthlyChart(canvas, rows, names) {
  return bar(canvas, rows.map((r) => r.month), [
    { label: names.concerns, data: rows.map((r) => r.concerns), backgroundColor: LIGHT },
    { label: names.resolved, data: rows.map((r) => r.resolved), backgroundColor: GREEN },
    { label: names.visits, data: rows.map((r) => r.visits), backgroundColor: AMBER },
  ]);
}
