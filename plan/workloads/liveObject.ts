/**
 * Reading a live workload object loosely: it comes from the cluster or from a file, so any
 * field may be missing or of another type, and a missing one reads as undefined.
 */
import type { ExternalKind } from "../../config/contract/workload";

export type Loose = Record<string, unknown>;
export const field = (o: unknown, key: string): unknown =>
  typeof o === "object" && o !== null ? (o as Loose)[key] : undefined;
export const items = (o: unknown, key: string): unknown[] => {
  const v = field(o, key);
  return Array.isArray(v) ? v : [];
};
export const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** The pod spec of a workload of `kind`. */
export function podSpec(kind: ExternalKind, live: unknown): unknown {
  const spec = field(live, "spec");
  const template =
    kind === "CronJob"
      ? field(field(field(spec, "jobTemplate"), "spec"), "template")
      : field(spec, "template");
  return field(template, "spec");
}
