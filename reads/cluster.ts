/**
 * The live cluster read: every guarded kind listed in pages (`limit` and `continue`) into a
 * `ReferenceScan`, with the client configuration `kubeconfig.ts` resolves.
 */
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  type KubeConfig,
  Observable,
} from "@kubernetes/client-node";
import { GUARD_KINDS, type GuardKind, type LooseObject } from "../plan/guard/references";
import type { ScanPart, ScanSink } from "./scan";

/** The page size of every list call (client-go tools/pager defaultPageSize). */
export const PAGE_SIZE = 500;

interface Page {
  items: unknown[];
  metadata?: { _continue?: string };
}
type Lister = (
  namespace: string | undefined,
  limit: number,
  next: string | undefined,
  signal: AbortSignal | undefined,
) => Promise<Page>;

/**
 * Per-call options that put `signal` on the request: client-node 1.x sends through node-fetch
 * with the RequestContext's signal (gen/http/isomorphic-fetch.js), which a call-time
 * middleware sets (gen/types/ObservableAPI.js merges `_options.middleware`).
 */
export function withSignal(signal: AbortSignal | undefined) {
  if (!signal) return undefined;
  return {
    middleware: [
      {
        pre: (context: { setSignal(s: AbortSignal): void }) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: <T>(response: T) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: "append" as const,
  };
}

/**
 * `withSignal` as the generated signatures type it: they name the Observable middleware type,
 * which client-node does not export under that name; the shape above is that type.
 */
export const callOptions = (signal: AbortSignal | undefined) =>
  withSignal(signal) as unknown as Parameters<CoreV1Api["listPodForAllNamespaces"]>[1];

/** One list call per kind, cluster-wide or in one namespace. */
function listers(kc: KubeConfig): Record<GuardKind, Lister> {
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const q = (limit: number, next?: string) => ({ limit, ...(next && { _continue: next }) });
  const o = callOptions;
  return {
    Deployment: (ns, l, c, s) =>
      ns
        ? apps.listNamespacedDeployment({ namespace: ns, ...q(l, c) }, o(s))
        : apps.listDeploymentForAllNamespaces(q(l, c), o(s)),
    ReplicaSet: (ns, l, c, s) =>
      ns
        ? apps.listNamespacedReplicaSet({ namespace: ns, ...q(l, c) }, o(s))
        : apps.listReplicaSetForAllNamespaces(q(l, c), o(s)),
    StatefulSet: (ns, l, c, s) =>
      ns
        ? apps.listNamespacedStatefulSet({ namespace: ns, ...q(l, c) }, o(s))
        : apps.listStatefulSetForAllNamespaces(q(l, c), o(s)),
    DaemonSet: (ns, l, c, s) =>
      ns
        ? apps.listNamespacedDaemonSet({ namespace: ns, ...q(l, c) }, o(s))
        : apps.listDaemonSetForAllNamespaces(q(l, c), o(s)),
    Job: (ns, l, c, s) =>
      ns
        ? batch.listNamespacedJob({ namespace: ns, ...q(l, c) }, o(s))
        : batch.listJobForAllNamespaces(q(l, c), o(s)),
    CronJob: (ns, l, c, s) =>
      ns
        ? batch.listNamespacedCronJob({ namespace: ns, ...q(l, c) }, o(s))
        : batch.listCronJobForAllNamespaces(q(l, c), o(s)),
    Pod: (ns, l, c, s) =>
      ns
        ? core.listNamespacedPod({ namespace: ns, ...q(l, c) }, o(s))
        : core.listPodForAllNamespaces(q(l, c), o(s)),
  };
}

/** An API error as one line: the status and the server's message (never a response body dump). */
export function describeApiError(err: unknown): string {
  const e = err as { code?: number; body?: unknown; message?: string };
  let message: string | undefined;
  const body = typeof e.body === "string" ? safeJson(e.body) : e.body;
  if (
    body &&
    typeof body === "object" &&
    typeof (body as { message?: unknown }).message === "string"
  ) {
    message = (body as { message: string }).message;
  }
  if (typeof e.code === "number") return `HTTP ${e.code}${message ? `: ${message}` : ""}`;
  return (e.message ?? String(err)).split("\n")[0];
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The API server's Status of a failed call (its `reason`), when the body carries one. */
function statusReason(err: unknown): string | undefined {
  const e = err as { body?: unknown };
  const body = typeof e.body === "string" ? safeJson(e.body) : e.body;
  const reason = (body as { reason?: unknown } | undefined)?.reason;
  return typeof reason === "string" ? reason : undefined;
}

/**
 * An expired continue token: 410 with reason Expired (apimachinery errors.IsResourceExpired),
 * which the API server returns once the snapshot a paged list started from is compacted.
 */
export function isResourceExpired(err: unknown): boolean {
  return (err as { code?: unknown }).code === 410 && statusReason(err) === "Expired";
}

/**
 * Lists every guarded kind, page by page, into `scan`: cluster-wide, or in each of
 * `namespaces`. Throws an error naming the kind and scope that failed, or the abort's when
 * `signal` fires (no further page is asked for).
 *
 * An expired continue token restarts that list once from its first page (client-go
 * tools/pager/pager.go ListPager.list falls back to one full list on ResourceExpired after the
 * first page; a restart in pages keeps the scan's memory bounded by the page size). The
 * restarted list counts alone: what the expired attempt saw is dropped. A second expiry makes
 * the read unavailable.
 */
export async function scanCluster<P extends ScanPart>(
  kc: KubeConfig,
  scan: ScanSink<P>,
  options: {
    namespaces?: readonly string[];
    pageSize?: number;
    signal?: AbortSignal;
    /** Called after each page with the kind and how many objects that page held. */
    onPage?: (kind: GuardKind, items: number) => void;
  } = {},
): Promise<void> {
  const list = listers(kc);
  const scopes = options.namespaces ?? [undefined];
  const limit = options.pageSize ?? PAGE_SIZE;
  const { signal } = options;
  for (const kind of GUARD_KINDS) {
    for (const namespace of scopes) {
      const where = namespace ? `in namespace ${namespace}` : "in all namespaces";
      for (let attempt = 1; ; attempt++) {
        const part = scan.part();
        let next: string | undefined;
        let expired = false;
        do {
          signal?.throwIfAborted();
          let page: Page;
          try {
            page = await list[kind](namespace, limit, next, signal);
          } catch (err) {
            if (signal?.aborted) throw signal.reason;
            if (next !== undefined && isResourceExpired(err)) {
              if (attempt === 1) {
                expired = true;
                break;
              }
              throw new Error(
                `list ${kind}s ${where}: the continue token expired twice (HTTP 410 Expired), so the list cannot be read whole`,
              );
            }
            throw new Error(`list ${kind}s ${where}: ${describeApiError(err)}`);
          }
          for (const item of page.items) part.add(kind, item as LooseObject);
          options.onPage?.(kind, page.items.length);
          next = page.metadata?._continue || undefined;
        } while (next);
        if (!expired) {
          scan.absorb(part);
          break;
        }
      }
    }
  }
}
