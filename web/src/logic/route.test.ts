import { describe, expect, it } from 'vitest';
import { parseRoute, routePath } from './route.js';

describe('routes', () => {
  it('parses the views and round-trips', () => {
    expect(parseRoute('/')).toEqual({ view: 'fleet' });
    expect(parseRoute('/devices/')).toEqual({ view: 'fleet' });
    expect(parseRoute('/zones')).toEqual({ view: 'zones' });
    expect(parseRoute('/devices/sim-0001')).toEqual({ view: 'device', deviceId: 'sim-0001' });
    expect(routePath({ view: 'device', deviceId: 'sim-0001' })).toBe('/devices/sim-0001');
  });
  it('refuses ids the model refuses', () => {
    expect(parseRoute('/devices/Bad.Id')).toEqual({ view: 'not-found', path: '/devices/Bad.Id' });
    expect(parseRoute('/elsewhere')).toEqual({ view: 'not-found', path: '/elsewhere' });
  });
});
