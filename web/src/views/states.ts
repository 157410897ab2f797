/** The empty, loading, offline and permission-denied states every view shows the same way. */
import { h } from './dom.js';

export function loadingState(what: string): HTMLElement {
  return h('div', { class: 'state state-loading', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), `Loading ${what}…`);
}

export function emptyState(title: string, body: string): HTMLElement {
  return h('div', { class: 'state state-empty', role: 'status' }, h('h2', {}, title), h('p', {}, body));
}

export function deniedState(what: string): HTMLElement {
  return h(
    'div',
    { class: 'state state-denied', role: 'alert' },
    h('h2', {}, 'Permission denied'),
    h('p', {}, `You do not have access to ${what}. Only its owner can see it; sign in with the owner's account or go back to your fleet.`),
    h('p', {}, h('a', { href: '/', 'data-link': true }, 'Back to your fleet')),
  );
}

export function errorState(title: string, message: string): HTMLElement {
  return h('div', { class: 'state state-error', role: 'alert' }, h('h2', {}, title), h('p', {}, message));
}

/** The banner while the database connection is down: data shown is the last known. */
export function offlineBanner(): HTMLElement {
  return h(
    'div',
    { class: 'banner banner-offline', role: 'status', hidden: true },
    'Offline: showing the last known data. Reconnecting… Changes you make are sent when the connection returns.',
  );
}
