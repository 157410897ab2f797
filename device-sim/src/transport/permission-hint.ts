// Why database.rules.json refused an operation, derived from the path (and whether it was a read
// or a write), so a user is told the real rule: config is owner-only, readings are create-once,
// state is the backend's, and so on. Keep in step with database.rules.json and docs/backend.md.
export type AccessKind = 'read' | 'write';

function segments(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export function permissionHint(path: string, kind: AccessKind): string {
  const [root, id, node, child] = segments(path);
  if (root === 'devices' && id !== undefined) {
    const device = `device ${id}`;
    const self = `the account of ${device} (uid device-${id} with the custom claim device: ${id})`;
    switch (node) {
      case undefined:
        return kind === 'read'
          ? `the whole device node is read by its owner (users/<uid>/devices/${id} is true); a device reads only its config, state and commands`
          : `nobody writes a whole device node: each child has its own writer (see docs/backend.md)`;
      case 'config':
        return kind === 'read'
          ? `config is read by ${self} and its owner`
          : `config is written only by the device's owner (users/<uid>/devices/${id} is true), as a whole and valid; a device only reads it`;
      case 'readings':
        return kind === 'read'
          ? `a device may read back one of its own readings by id (readings/<id>), not the list; owners read the list`
          : `readings are create-once: only ${self} may add a new reading (push-id key, valid fields, seq above state.seq), never change or delete one${child === undefined ? '' : ` (readings/${child} may exist already)`}`;
      case 'state':
        return kind === 'read' ? `state is read by ${self} and its owner` : `state is written only by the backend functions (a device reads it)`;
      case 'status':
        return kind === 'read'
          ? `status is read by the device's owner`
          : `status is written only by ${device} itself (online, lastSeen, fw, rssi; no other keys, no priority, never deleted)`;
      case 'commands':
        return kind === 'read'
          ? `commands are read by ${self} and its owner`
          : `the owner creates and deletes commands; ${device} may only answer one with ackAt and result together, once`;
      case 'meta':
        return kind === 'read'
          ? `meta is read by the device's owner`
          : `meta is written at provisioning (Admin SDK); the owner may only rename the device (meta/name)`;
      default:
        return `a device node has only meta, config, readings, state, status and commands`;
    }
  }
  switch (root) {
    case 'users':
      return kind === 'read' ? `users/<uid> is readable only by that user (not by device accounts)` : `users/ is written only by provisioning (Admin SDK)`;
    case 'zones':
      return kind === 'read' ? `a zone is readable by owners of a device in the zone` : `zones are written only by the backend functions`;
    case 'rollups':
      return kind === 'read' ? `rollups/<deviceId> is readable by the device's owner` : `rollups are written only by the backend functions`;
    case 'firmware':
      return kind === 'read' ? `firmware is readable by any signed-in account` : `firmware is written only by the Admin SDK`;
    default:
      return `nothing outside /devices, /users, /zones, /rollups and /firmware is readable or writable by clients`;
  }
}

export function accessKind(method: string): AccessKind {
  return method.startsWith('GET') ? 'read' : 'write';
}
