/** Survey forms given to this user, pulled as reference entity `form` (docs/sync-protocol.md). */
import { getDb } from './db.js';

/** One pulled form version by its id (a survey keeps the version it was filled with). */
export async function formVersion(id) {
  return id == null ? undefined : (await getDb()).get('forms', String(id));
}

/** Every version on the phone. */
export async function formVersions() {
  return (await getDb()).getAll('forms');
}

/**
 * The forms a new survey can be started from: the newest version of each form that is not
 * retired, by title. A form whose versions the phone holds only retired offers nothing new.
 */
export function offeredForms(versions) {
  const newest = new Map();
  for (const form of versions) {
    if (form.deleted) continue;
    const kept = newest.get(form.form_key);
    if (!kept || Number(form.id) > Number(kept.id)) newest.set(form.form_key, form);
  }
  return [...newest.values()].filter((f) => !f.retired)
    .sort((a, b) => String(a.title_th).localeCompare(String(b.title_th), 'th'));
}
