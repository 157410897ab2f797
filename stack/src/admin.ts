// Admin access to a running stack: a firebase-admin App bound to its emulators, owner accounts,
// and device provisioning through the provisioning package (@firelink/provisioning), so tests,
// `npm start` and the device simulator create devices exactly one way.
import { deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getDatabase } from 'firebase-admin/database';

export interface ProvisionDeviceRequest {
  deviceId: string;
  /** The owner's uid. */
  owner: string;
  /** Use this password instead of a generated one (tests, the demo fleet's known credentials). */
  password?: string;
  zone?: string;
  name?: string;
  /** Issue a new password for a device that exists (same owner). */
  rotate?: boolean;
  /** One of the stack's shards (default: the least-loaded one). */
  shard?: string;
}

export interface ProvisionedDevice {
  deviceId: string;
  email: string;
  password: string;
  uid: string;
  owner: string;
  zone: string | null;
  /** The instance holding its data, its URL and the directory's (the default instance). */
  shard: string;
  databaseUrl: string;
  directoryUrl: string;
}

export interface OwnerRequest {
  email: string;
  password: string;
  /** A fixed uid (the demo owner's); default: Auth picks one. */
  uid?: string;
  displayName?: string;
}

type Provisioning = typeof import('@firelink/provisioning');

let appCounter = 0;

export class AdminAccess {
  private app: App | null = null;
  private provisioning: Provisioning | null = null;

  constructor(
    private readonly options: {
      projectId: string;
      namespace: string;
      /** Every instance, the default first (startStack's `shards`). */
      shards: readonly string[];
      databaseHostPort: () => string;
      functionsDir: string;
    },
  ) {}

  /** The firebase-admin App bound to the emulators (one per stack; deleted by stop()). */
  adminApp(): App {
    this.app ??= initializeApp(
      {
        projectId: this.options.projectId,
        databaseURL: `http://${this.options.databaseHostPort()}?ns=${this.options.namespace}`,
      },
      `firelink-stack-${process.pid}-${(appCounter += 1)}`,
    );
    return this.app;
  }

  /** Creates an owner account, or (same e-mail) sets its password: the call is repeatable. */
  async createOwner(request: OwnerRequest): Promise<{ uid: string }> {
    const auth = getAuth(this.adminApp());
    const existing = await auth.getUserByEmail(request.email).catch((error: { code?: string }) => {
      if (error.code === 'auth/user-not-found') return null;
      throw error;
    });
    if (existing !== null) {
      if (request.uid !== undefined && existing.uid !== request.uid) {
        throw new Error(`createOwner: ${request.email} already belongs to uid ${existing.uid}, not ${request.uid}`);
      }
      await auth.updateUser(existing.uid, { password: request.password });
      return { uid: existing.uid };
    }
    const user = await auth.createUser({
      email: request.email,
      password: request.password,
      emailVerified: true,
      ...(request.uid !== undefined ? { uid: request.uid } : {}),
      ...(request.displayName !== undefined ? { displayName: request.displayName } : {}),
    });
    return { uid: user.uid };
  }

  async provisionDevice(request: ProvisionDeviceRequest): Promise<ProvisionedDevice> {
    const { provisionDevice, shardRouter } = await this.loadProvisioning();
    const auth = getAuth(this.adminApp());
    const db = getDatabase(this.adminApp());
    const made = await provisionDevice(
      { auth, db, shards: shardRouter(db, this.options.shards.map((instance) => ({ instance }))) },
      {
        deviceId: request.deviceId,
        ownerUid: request.owner,
        ...(request.zone !== undefined ? { zone: request.zone } : {}),
        ...(request.name !== undefined ? { name: request.name } : {}),
        ...(request.rotate ? { rotate: true } : {}),
        ...(request.shard !== undefined ? { shard: request.shard } : {}),
      },
    );
    let password = made.password;
    if (request.password !== undefined) {
      await auth.updateUser(made.uid, { password: request.password });
      password = request.password;
    }
    return {
      deviceId: made.deviceId,
      email: made.email,
      password,
      uid: made.uid,
      owner: made.owner,
      zone: made.zone,
      shard: made.shard,
      databaseUrl: made.databaseUrl,
      directoryUrl: made.directoryUrl,
    };
  }

  async close(): Promise<void> {
    if (this.app !== null) await deleteApp(this.app);
    this.app = null;
  }

  private async loadProvisioning(): Promise<Provisioning> {
    // The provisioning package (provisioning/, @firelink/provisioning): the one implementation,
    // typed; functions no longer carries it.
    this.provisioning ??= await import('@firelink/provisioning');
    return this.provisioning;
  }
}
