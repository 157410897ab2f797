/** E-mail and password sign-in (Firebase Auth). */
import { field, h, setText } from './dom.js';

export function signInView(signIn: (email: string, password: string) => Promise<string | undefined>, hint?: string): HTMLElement {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const fEmail = field('E-mail', email);
  const fPassword = field('Password', password);
  const error = h('p', { class: 'field-error', role: 'alert' });
  const button = h('button', { type: 'submit' }, 'Sign in');
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    fEmail.setError(email.value.trim() === '' ? 'Enter your e-mail address.' : undefined);
    fPassword.setError(password.value === '' ? 'Enter your password.' : undefined);
    if (email.value.trim() === '' || password.value === '') return;
    // The fleet benchmark measures from here to the first full fleet render.
    performance.mark('firelink:sign-in');
    button.disabled = true;
    setText(button, 'Signing in…');
    const failure = await signIn(email.value.trim(), password.value);
    button.disabled = false;
    setText(button, 'Sign in');
    setText(error, failure ?? '');
  };
  return h(
    'section',
    { class: 'view sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Sign in to Firelink'),
    h('form', { 'aria-label': 'Sign in', onsubmit: (e: Event) => void submit(e) }, fEmail.wrap, fPassword.wrap, error, button),
    hint ? h('p', { class: 'hint' }, hint) : null,
  );
}
