/** District and subdistrict names (public reference data), kept on the phone for offline use. */
import { apiFetch } from '../api.js';
import { kvGet, kvSet } from '../data/db.js';
import { villages } from '../data/mirror.js';

let loaded = null;

async function fetchGazetteer() {
  try {
    const [districts, subdistricts] = await Promise.all([apiFetch('/api/districts'), apiFetch('/api/subdistricts')]);
    const value = { districts, subdistricts };
    await kvSet('gazetteer', value);
    return value;
  } catch {
    return (await kvGet('gazetteer')) ?? { districts: [], subdistricts: [] };
  }
}

/** Districts, subdistricts and villages the user works in (a supervisor's districts, all for an admin). */
export async function gazetteer(user) {
  loaded ??= fetchGazetteer();
  const { districts, subdistricts } = await loaded;
  if (!districts.length) loaded = null; // try the server again next time
  const mine = new Set(user?.role === 'admin' ? [] : user?.district_codes ?? []);
  const inScope = (code) => !mine.size || mine.has(code);
  return {
    districts: districts.filter((d) => inScope(d.code)),
    subdistricts: subdistricts.filter((s) => inScope(s.district_code)),
    villages: await villages(mine.size ? [...mine] : null),
  };
}
