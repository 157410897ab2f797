/** The page frame: skip link, header with navigation and sign-out, offline banner, main region. */
import { h, setText } from './dom.js';
import { offlineBanner } from './states.js';

export interface Shell {
  el: HTMLElement;
  main: HTMLElement;
  setUser(email: string | undefined): void;
  setOnline(online: boolean): void;
  setCurrent(view: 'fleet' | 'zones' | 'other'): void;
}

export function shell(signOut: () => void): Shell {
  const main = h('main', { id: 'main', tabindex: -1 });
  const who = h('span', { class: 'who' });
  const signOutButton = h('button', { type: 'button', class: 'link-button', onclick: () => signOut() }, 'Sign out');
  const fleetLink = h('a', { href: '/', 'data-link': true }, 'Fleet');
  const zonesLink = h('a', { href: '/zones', 'data-link': true }, 'Zones');
  const nav = h('nav', { 'aria-label': 'Main' }, fleetLink, zonesLink);
  const account = h('div', { class: 'account' }, who, signOutButton);
  const banner = offlineBanner();
  const header = h('header', { class: 'top' }, h('a', { class: 'brand', href: '/', 'data-link': true }, 'Firelink'), nav, account);
  const el = h('div', { class: 'app' }, h('a', { class: 'skip', href: '#main' }, 'Skip to content'), header, banner, main);
  return {
    el,
    main,
    setUser(email) {
      nav.hidden = email === undefined;
      account.hidden = email === undefined;
      setText(who, email ? `Signed in as ${email}` : '');
    },
    setOnline(online) {
      banner.hidden = online;
    },
    setCurrent(view) {
      for (const [link, name] of [[fleetLink, 'fleet'], [zonesLink, 'zones']] as const) {
        if (view === name) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
    },
  };
}
