/** Hand the unsynced work over as a file, e.g. before a phone is wiped. */
import { getDb } from './db.js';

function blobToDataUrl(blob) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/** Everything not yet on the server: outbox, drafts, records with unconfirmed edits, photo bytes. */
export async function unsyncedExport(session, now = new Date()) {
  const db = await getDb();
  const [outbox, records, photos] = await Promise.all([db.getAll('outbox'), db.getAll('records'), db.getAll('photos')]);
  const waiting = photos.filter((p) => !p.uploaded && p.blob);
  return {
    format: 'fieldapp-unsynced/1',
    exported_at: now.toISOString(),
    user: session?.user?.username ?? null,
    device_id: session?.device_id ?? null,
    mutations: outbox.map(({ seq: _seq, ...entry }) => entry),
    records: records.filter((r) => r.state !== 'synced'),
    photos: await Promise.all(waiting.map(async (p) => ({ sha256: p.sha256, data_url: await blobToDataUrl(p.blob) }))),
  };
}

/** Offer the export as a download. */
export async function downloadUnsynced(session) {
  const data = await unsyncedExport(session);
  const blob = new Blob([JSON.stringify(data)], { type: 'application/json' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = `fieldapp-unsynced-${data.exported_at.replace(/[:.]/g, '-')}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
