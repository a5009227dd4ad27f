/** Thai-first strings with an English switch, and Buddhist-era date formatting. */
import { serverMessagesTh, th } from './i18n-th.js';
import { en } from './i18n-en.js';

export const dictionaries = { th, en };
let current = 'th';

/** Choose the interface language ("th" or "en"). */
export function setLanguage(lang) {
  current = lang === 'en' ? 'en' : 'th';
  document.documentElement.lang = current;
}

export function language() {
  return current;
}

/** Translate a key, filling {name} placeholders; an unknown key shows itself so it is noticed. */
export function t(key, params = {}) {
  const text = dictionaries[current][key] ?? dictionaries.th[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ''));
}

/** Why the server refused something, in the chosen language (its own words when unknown). */
export function refusal(reason, detail) {
  const key = `reason.${reason}`;
  const known = dictionaries[current][key] ?? dictionaries.th[key];
  return known ?? (detail || reason || '');
}

// Each English template as a pattern matching the whole message, its {names} as groups.
const serverPatterns = serverMessagesTh.map(([english, thai]) => {
  const names = [];
  const source = english.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\\\{(\w+)\\\}/g, (_, name) => { names.push(name); return '(.+?)'; });
  return { pattern: new RegExp(`^${source}$`), names, thai };
});

/** One of the server's per-field messages in the chosen language (as it came when unknown). */
export function serverMessage(message) {
  const text = typeof message === 'string' ? message : JSON.stringify(message);
  if (current === 'en') return text;
  for (const { pattern, names, thai } of serverPatterns) {
    const match = text.match(pattern);
    if (match) return thai.replace(/\{(\w+)\}/g, (_, name) => match[names.indexOf(name) + 1] ?? '');
  }
  return text;
}

/** Pick the Thai or English variant of a reference-data name (name_th / name_en, text_th…). */
export function localName(item, base = 'name') {
  if (!item) return '';
  return (current === 'en' && item[`${base}_en`]) || item[`${base}_th`] || item[`${base}_en`] || '';
}

const LOCALES = { th: 'th-TH', en: 'en-GB' };

/** Date and time as people read it: th-TH gives Buddhist-era years (พ.ศ.). */
export function formatDateTime(value, lang = current) {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A date without its time (due dates). */
export function formatDate(value, lang = current) {
  if (!value) return '';
  const date = new Date(value.length === 10 ? `${value}T00:00:00` : value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium' }).format(date);
}
