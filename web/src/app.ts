/**
 * The app's wiring between session, route and views: which view is mounted, and the stores it
 * gets. It knows the data layer only through the `Backend` interface main.ts implements.
 */
import { parseRoute, type Route } from './logic/route.js';
import { DeviceStore } from './store/device-store.js';
import { FleetStore } from './store/fleet-store.js';
import { Value } from './store/value.js';
import type { DeviceActions } from './views/actions.js';
import { deviceView } from './views/device-view.js';
import { fleetView } from './views/fleet-view.js';
import { shell } from './views/shell.js';
import { signInView } from './views/sign-in.js';
import { errorState, loadingState } from './views/states.js';
import { zonesView, type WatchZone } from './views/zones-view.js';

export type Session = { phase: 'loading' } | { phase: 'signed-out' } | { phase: 'signed-in'; uid: string; email: string };

export interface Backend {
  session: Value<Session>;
  connected: Value<boolean>;
  signIn(email: string, password: string): Promise<string | undefined>;
  signOut(): Promise<void>;
  watchFleet(uid: string, store: FleetStore): () => void;
  watchDevice(store: DeviceStore): () => void;
  deviceActions(deviceId: string): DeviceActions;
  watchZone: WatchZone;
  signInHint?: string;
}

export function startApp(root: HTMLElement, backend: Backend): { stop(): void } {
  const route = new Value<Route>(parseRoute(location.pathname));
  const frame = shell(() => void backend.signOut());
  root.replaceChildren(frame.el);
  let fleet: { store: FleetStore; stop: () => void; uid: string } | undefined;
  let mounted: { dispose(): void } | undefined;

  const mount = (el: HTMLElement, view?: { dispose(): void }): void => {
    mounted?.dispose();
    mounted = view;
    frame.main.replaceChildren(el);
  };

  const render = (): void => {
    const session = backend.session.get();
    frame.setUser(session.phase === 'signed-in' ? session.email : undefined);
    if (session.phase !== 'signed-in') {
      fleet?.stop();
      fleet = undefined;
      if (session.phase === 'loading') mount(loadingState('your session'));
      else mount(signInView(backend.signIn, backend.signInHint));
      document.title = 'Sign in · Firelink';
      return;
    }
    if (!fleet || fleet.uid !== session.uid) {
      fleet?.stop();
      const store = new FleetStore();
      fleet = { store, uid: session.uid, stop: backend.watchFleet(session.uid, store) };
    }
    const r = route.get();
    frame.setCurrent(r.view === 'fleet' || r.view === 'zones' ? r.view : 'other');
    if (r.view === 'fleet') {
      const v = fleetView(fleet.store);
      mount(v.el, v);
      document.title = 'Fleet · Firelink';
    } else if (r.view === 'zones') {
      const v = zonesView(fleet.store, backend.watchZone);
      mount(v.el, v);
      document.title = 'Zones · Firelink';
    } else if (r.view === 'device') {
      const store = new DeviceStore(r.deviceId);
      const stop = backend.watchDevice(store);
      const v = deviceView(store, backend.deviceActions(r.deviceId));
      mount(v.el, { dispose: () => (v.dispose(), stop()) });
      document.title = `${r.deviceId} · Firelink`;
    } else {
      mount(errorState('Page not found', `Nothing lives at ${r.path}. Use the navigation above.`));
      document.title = 'Not found · Firelink';
    }
  };

  const go = (path: string): void => {
    if (path === location.pathname + location.search) return;
    history.pushState(null, '', path);
    route.set(parseRoute(location.pathname));
    frame.main.focus();
  };
  // Links marked data-link navigate inside the app (keyboard Enter triggers click too).
  const onClick = (e: MouseEvent): void => {
    const a = (e.target as Element | null)?.closest?.('a[data-link]') as HTMLAnchorElement | null;
    if (!a || e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    go(new URL(a.href).pathname);
  };
  const onPop = (): void => route.set(parseRoute(location.pathname));
  document.addEventListener('click', onClick);
  window.addEventListener('popstate', onPop);
  let routeSeen = false;
  const offs = [
    backend.session.subscribe(render),
    route.subscribe((_r) => {
      // The first call (at subscribe) is the session's render above.
      if (routeSeen && backend.session.get().phase === 'signed-in') render();
      routeSeen = true;
    }),
    backend.connected.subscribe((online) => frame.setOnline(online)),
  ];
  return {
    stop() {
      offs.forEach((off) => off());
      mounted?.dispose();
      fleet?.stop();
      document.removeEventListener('click', onClick);
      window.removeEventListener('popstate', onPop);
    },
  };
}
