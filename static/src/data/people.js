/**
 * Names of people the phone has heard of (timeline actors, assignees), by user id, so a
 * timeline pulled for offline use can say who did each step. Filled from any server answer
 * that names people; kept in the `kv` store under "people".
 */
import { kvGet, kvSet } from './db.js';

/** Remember {id, display_name} pairs (nulls and nameless ones ignored). */
export async function rememberPeople(people) {
  const known = (await kvGet('people')) ?? {};
  let changed = false;
  for (const person of people) {
    if (!person?.id || !person.display_name || known[person.id] === person.display_name) continue;
    known[person.id] = person.display_name;
    changed = true;
  }
  if (changed) await kvSet('people', known);
  return known;
}

/** Every name known on this phone, by user id. */
export async function knownPeople() {
  return (await kvGet('people')) ?? {};
}

/** The people a concern detail from the server names: actors, assignees, the reporter's author. */
export function peopleIn(detail) {
  const people = [detail?.assignee, detail?.created_by];
  for (const entry of detail?.timeline ?? []) people.push(entry.actor, entry.data?.assignee);
  return people.filter(Boolean);
}
