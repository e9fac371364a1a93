/**
 * The `inventory` stack output (stored.ts `storedInventory`): per secret and version, how many
 * pods ran it and which workloads ran or held it when the update's reference guard read the
 * cluster. Pure. Names only, never a value.
 */
import { dict, plain } from "../../core/dict";
import type { StoredInventory } from "../lifecycle/stored";
import type { Inventory } from "./inventory";

/** How many workload names one version records before it counts the rest. */
export const WORKLOADS_RECORDED = 20;

export function inventoryOutput(inventory: Inventory): NonNullable<StoredInventory> {
  const out = dict<NonNullable<StoredInventory>[string]>();
  for (const secret of inventory.secrets) {
    const versions = dict<NonNullable<StoredInventory>[string][string]>();
    for (const v of secret.versions) {
      const names = [
        ...new Set([
          ...v.workloads.map((g) => `${g.kind} ${g.namespace}/${g.name}`),
          ...v.holders.map((h) => h.workload),
        ]),
      ].sort();
      versions[v.version] = {
        pods: v.pods,
        ready: v.ready,
        workloads: names.slice(0, WORKLOADS_RECORDED),
        moreWorkloads: Math.max(0, names.length - WORKLOADS_RECORDED),
      };
    }
    out[secret.name] = plain(versions);
  }
  // Plain objects: Pulumi's serializer does not take a null-prototype object as a map.
  return plain(out);
}
