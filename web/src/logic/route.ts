/** The dashboard's URLs (History API; firebase.json rewrites every path to index.html). */
import { DEVICE_ID_PATTERN } from '@firelink/model';

export type Route =
  | { view: 'fleet' }
  | { view: 'zones' }
  | { view: 'device'; deviceId: string }
  | { view: 'not-found'; path: string };

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/devices') return { view: 'fleet' };
  if (path === '/zones') return { view: 'zones' };
  const m = /^\/devices\/([^/]+)$/.exec(path);
  if (m) {
    const id = decodeURIComponent(m[1]!);
    if (DEVICE_ID_PATTERN.test(id)) return { view: 'device', deviceId: id };
  }
  return { view: 'not-found', path: pathname };
}

export function routePath(route: Route): string {
  switch (route.view) {
    case 'fleet':
      return '/';
    case 'zones':
      return '/zones';
    case 'device':
      return `/devices/${encodeURIComponent(route.deviceId)}`;
    case 'not-found':
      return route.path;
  }
}
