/** The address a local client dials for a server bound to `host` (a wildcard bind answers on loopback). */
export function dialHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}
