/** A tiny DOM builder: plain elements, no framework, no virtual DOM. */
import { isoWithOffset } from '../data/records.js';

/** Create an element: attributes (on* are listeners), then children (strings become text). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') el.className = value;
    else if (key === 'value' || key === 'checked' || key === 'selected') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let counter = 0;

/** A unique element id, for <label for>. */
export function uid(prefix = 'f') {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** A labelled form control; the label names it for screen readers in the current language. */
export function field(label, control, { hint, errors } = {}) {
  control.id ||= uid();
  const messages = (errors ?? []).map((m) => h('p', { class: 'field-error', role: 'alert' }, m));
  if (messages.length) control.setAttribute('aria-invalid', 'true');
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control,
    hint ? h('p', { class: 'hint' }, hint) : null, messages);
}

/** Replace an element's content. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** An ISO time as a datetime-local input value, in the phone's own time zone. */
export function toLocalInput(iso) {
  const date = iso ? new Date(iso) : new Date();
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 16);
}

/** A datetime-local value back to an ISO instant (empty stays null). */
export function fromLocalInput(value) {
  return value ? isoWithOffset(new Date(value)) : null;
}
