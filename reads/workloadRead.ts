/**
 * Reads the workloads a stack links (`owner: external`) from the live cluster, one GET each,
 * through the same client and kubeconfig as the reference guard. A 404 is an answer (the
 * object does not exist); any other failure makes the whole read fail, naming the object.
 * What the objects mean for the patches is decided elsewhere (workloads/linkedCheck.ts).
 */
import { AppsV1Api, BatchV1Api, type KubeConfig } from "@kubernetes/client-node";
import type { ExternalKind } from "../config/contract/workload";
import { type LinkTarget, type LiveWorkloads, targetText } from "../plan/workloads/linkTarget";
import { callOptions, describeApiError } from "./cluster";

type Getter = (name: string, namespace: string) => Promise<unknown>;

/** Reads every target; throws naming the first one that could not be read (not a 404). */
export async function readWorkloads(
  kc: KubeConfig,
  targets: readonly LinkTarget[],
  signal?: AbortSignal,
): Promise<LiveWorkloads> {
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  // Each GET carries the guard's signal, so its timeout cancels the request in flight.
  const o = callOptions(signal);
  const get: Record<ExternalKind, Getter> = {
    Deployment: (name, namespace) => apps.readNamespacedDeployment({ name, namespace }, o),
    StatefulSet: (name, namespace) => apps.readNamespacedStatefulSet({ name, namespace }, o),
    DaemonSet: (name, namespace) => apps.readNamespacedDaemonSet({ name, namespace }, o),
    CronJob: (name, namespace) => batch.readNamespacedCronJob({ name, namespace }, o),
  };
  const entries = await Promise.all(
    targets.map(async (t): Promise<[string, unknown]> => {
      try {
        return [targetText(t), await get[t.kind](t.name, t.namespace)];
      } catch (err) {
        if ((err as { code?: unknown }).code === 404) return [targetText(t), null];
        throw new Error(`get ${targetText(t)}: ${describeApiError(err)}`);
      }
    }),
  );
  return new Map(entries);
}
