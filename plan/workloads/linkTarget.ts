import type { ExternalKind } from "../../config/contract/workload";

/** A workload the program patches, or patched at its previous update. */
export interface LinkTarget {
  kind: ExternalKind;
  namespace: string;
  name: string;
}

/** `Deployment staging/billing`: how messages name a target, and its key in `LiveWorkloads`. */
export function targetText(t: LinkTarget): string {
  return `${t.kind} ${t.namespace}/${t.name}`;
}

/** Each target's live object, by `targetText`; null when it does not exist. */
export type LiveWorkloads = ReadonlyMap<string, unknown>;
