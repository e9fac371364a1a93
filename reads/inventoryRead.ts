/**
 * The inventory's cluster read: the same paged lists, kubeconfig rules and time limit as the
 * reference guard (`live.ts`), read once into both the guard's scan (for the states the update
 * would plan) and the inventory's (`plan/inventory/collect.ts`).
 */
import type { GuardKind, OwnWorkloads } from "../plan/guard/references";
import type { GuardRead, ReferenceIndex } from "../plan/guard/guard";
import { type ClusterFacts, InventoryScan } from "../plan/inventory/collect";
import { scanCluster } from "./cluster";
import { type ClusterSettings, loadKubeConfig } from "./kubeconfig";
import { firstLine, guarded } from "./live";
import { ReferenceScan, bothSinks } from "./scan";

export interface InventoryRead {
  references: ReferenceIndex;
  facts: ClusterFacts;
}

/** Both scans for one question (the live read and the `--cluster` file feed them alike). */
export function inventoryScans(question: { names: ReadonlySet<string>; own: OwnWorkloads }): {
  sink: ReturnType<typeof bothSinks<ReferenceScan, InventoryScan>>;
  read(): InventoryRead;
} {
  const guard = new ReferenceScan(question.names, question.own);
  const inventory = new InventoryScan(question.names);
  return {
    sink: bothSinks(guard, inventory),
    read: () => ({ references: guard.referrers(), facts: inventory.facts() }),
  };
}

/** Reads the cluster the Kubernetes provider's settings name; `unavailable` with the reason. */
export async function readInventoryCluster(
  settings: {
    cluster: ClusterSettings;
    env?: NodeJS.ProcessEnv;
    home?: string;
    timeoutMs?: number;
    pageSize?: number;
  },
  question: { names: ReadonlySet<string>; own: OwnWorkloads; namespaces?: readonly string[] },
  onPage?: (kind: GuardKind, items: number) => void,
): Promise<GuardRead<InventoryRead>> {
  const loaded = loadKubeConfig(settings.cluster, settings.env, settings.home);
  if ("unavailable" in loaded) return { status: "unavailable", reason: loaded.unavailable };
  const scans = inventoryScans(question);
  return guarded(
    async (signal) => {
      await scanCluster(loaded.config, scans.sink, {
        ...(question.namespaces && { namespaces: question.namespaces }),
        ...(settings.pageSize && { pageSize: settings.pageSize }),
        signal,
        ...(onPage && { onPage }),
      });
      return scans.read();
    },
    firstLine,
    settings.timeoutMs,
  );
}
