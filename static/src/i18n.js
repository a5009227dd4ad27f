/** Thai-first strings with an English switch, and Buddhist-era date formatting. */
import { th } from './i18n-th.js';
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

// How a refusal's parameters read: statuses, workflow steps and roles in the chosen language,
// field names by their form labels (`label`), anything else as sent; lists joined.
const PARAM_WORDS = { status: 'status', allowed: 'status', action: 'param.action', who: 'param.who' };

function paramText(name, value, label) {
  const words = (Array.isArray(value) ? value : [value]).map((item) => {
    if (name === 'field' || name === 'fields') return label(String(item));
    const key = PARAM_WORDS[name] && `${PARAM_WORDS[name]}.${item}`;
    return (key && dictionaries[current][key]) || String(item);
  });
  return words.join(name === 'who' ? t('param.or') : ', ');
}

/**
 * One per-field refusal in the chosen language, from its code and parameters
 * (`{field, code, params}`, docs/sync-protocol.md). A code the catalogue does not know shows
 * `fallback`, the server's English message as sent. `label` words a field name. A wording for
 * one field (`code.<code>@<field>`) wins over the general one.
 */
export function codedMessage(item, fallback = '', label = (name) => name) {
  const dict = dictionaries[current];
  const params = item?.params ?? {};
  const present = Object.keys(params).filter((name) => params[name] !== null && params[name] !== undefined).sort();
  const field = String(item?.field ?? '').split('.').pop();
  const key = item && [`code.${item.code}@${field}`, `code.${item.code}.${present.join('_')}`, `code.${item.code}`]
    .find((k) => k in dict);
  if (!key) return fallback;
  return dict[key].replace(/\{(\w+)\}/g, (_, name) => (name in params ? paramText(name, params[name], label) : ''));
}

/**
 * The messages for one field of a refusal (`errors[path]`, with its `error_codes`), in the
 * chosen language: one per message the server sent.
 */
export function fieldMessages(refused, path, label) {
  const english = [].concat(refused?.errors?.[path] ?? []).map((m) => (typeof m === 'string' ? m : JSON.stringify(m)));
  const codes = (refused?.error_codes ?? []).filter((item) => item.field === path);
  const count = Math.max(english.length, codes.length);
  return Array.from({ length: count }, (_, i) => codedMessage(codes[i], english[i] ?? codes[i]?.code ?? '', label));
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
