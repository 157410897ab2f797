// The database instances of a local stack (`startStack({ shards: N })`, `npm start -- --shards N`):
// namespaces of the one RTDB emulator, named as the model names them (localShardInstances), so
// provisioning's `FIRELINK_SHARDS=N` finds the same ones.
import { localShardInstances } from '@firelink/model';

export function stackShards(projectId: string, count: number): string[] {
  try {
    return localShardInstances(projectId, count);
  } catch (error) {
    throw new Error(`startStack: ${(error as Error).message}`, { cause: error });
  }
}
