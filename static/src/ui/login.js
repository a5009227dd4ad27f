/** Sign in once with signal; after that the app works offline. */
import { t } from '../i18n.js';
import { AuthError, HttpError, NetworkError } from '../api.js';
import { login } from '../data/session.js';
import { unsyncedSummary } from '../data/store.js';
import { downloadUnsynced } from '../data/export.js';
import { field, h } from './dom.js';

/** The message for a failed sign-in, in the official's language. */
export function loginErrorMessage(error) {
  if (error?.code === 'other-user-unsynced') return t('login.other_user', { user: error.owner });
  if (error instanceof NetworkError) return t('login.offline');
  if (error instanceof HttpError && error.status === 401) return t('login.bad_credentials');
  if (error instanceof HttpError && error.status === 429) return t('login.too_many');
  if (error instanceof HttpError && error.status === 403) return t('login.disabled');
  if (error instanceof AuthError) return t('login.bad_credentials');
  return t('login.failed');
}

/**
 * A signed-out, expired or deactivated account's phone keeps its unsent work: say how much, and
 * offer it as a file (e.g. for a colleague or the administrator before the phone is handed on).
 */
async function unsentNotice(session) {
  if (!session?.user) return null;
  const unsynced = await unsyncedSummary();
  const n = unsynced.mutations + unsynced.photos + unsynced.drafts + unsynced.rejected;
  if (!n) return null;
  return h('div', { class: 'notice warn', role: 'status' },
    h('p', {}, t('login.unsent', { n, user: session.user.display_name ?? session.user.username })),
    h('button', { type: 'button', class: 'secondary', onclick: () => downloadUnsynced(session) }, t('storage.export')));
}

export async function loginScreen(ctx) {
  const session = ctx.session;
  const username = h('input', { type: 'text', name: 'username', autocomplete: 'username', required: true,
    autocapitalize: 'none', value: session?.user?.username ?? '' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'form-message', role: 'alert', id: 'login-message' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('login.submit'));
  const form = h('form', { class: 'login', onsubmit: async (e) => {
    e.preventDefault();
    submit.disabled = true;
    message.textContent = t('login.signing_in');
    try {
      await login(username.value.trim(), password.value);
      await ctx.onLogin();
    } catch (error) {
      message.textContent = loginErrorMessage(error);
      submit.disabled = false;
    }
  } },
  field(t('login.username'), username), field(t('login.password'), password), message, submit);
  return h('section', { class: 'login-screen' }, h('h1', {}, t('app.name')),
    session?.needs_login ? h('p', { class: 'notice warn', role: 'alert' }, t('login.expired')) : h('p', {}, t('login.intro')),
    form, await unsentNotice(session));
}
