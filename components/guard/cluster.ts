/**
 * The live cluster read: the kubeconfig and context the Kubernetes provider uses, then every
 * guarded kind listed in pages (`limit` and `continue`) into a `ReferenceScan`.
 *
 * The provider's resolution (pulumi-kubernetes provider/pkg/provider/provider.go Configure and
 * util.go parseKubeconfigString, v4.x): `kubernetes:kubeconfig` is a path (a leading `~`
 * expanded) when such a file exists, else the kubeconfig's contents; without it client-go's
 * default loading rules apply: `KUBECONFIG` (the first file's current context), else
 * `~/.kube/config`, else the in-cluster service account. `kubernetes:context` overrides the
 * context either way.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AppsV1Api, BatchV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { GUARD_KINDS, type GuardKind, type LooseObject } from "./references";
import type { ReferenceScan } from "./scan";

/** The provider's settings as the stack config holds them. */
export interface ClusterSettings {
  /** `kubernetes:kubeconfig`: a path or a kubeconfig's contents. */
  kubeconfig?: string;
  /** `kubernetes:context`. */
  context?: string;
}

/** Where an in-cluster pod finds its service account token (client-go rest.InClusterConfig). */
export const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/** The page size of every list call. */
export const PAGE_SIZE = 500;

const expandHome = (p: string, home: string) =>
  p === "~" ? home : p.startsWith("~/") ? path.join(home, p.slice(2)) : p;

/**
 * The client configuration, or why there is none. Never falls back to `localhost:8080` (what
 * client-node does with no configuration at all): no configuration means the guard cannot
 * look, and says what to configure.
 */
export function loadKubeConfig(
  settings: ClusterSettings,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): { config: KubeConfig } | { unavailable: string } {
  const kc = new KubeConfig();
  try {
    if (settings.kubeconfig) {
      const file = expandHome(settings.kubeconfig, home);
      if (fs.existsSync(file)) kc.loadFromFile(file);
      else kc.loadFromString(settings.kubeconfig);
    } else if (env.KUBECONFIG) {
      const files = env.KUBECONFIG.split(path.delimiter).filter((f) => f !== "");
      kc.loadFromFile(files[0]);
      for (const file of files.slice(1)) {
        const next = new KubeConfig();
        next.loadFromFile(file);
        // client-go: the first file to set the current context wins.
        kc.mergeConfig(next, true);
      }
    } else if (fs.existsSync(path.join(home, ".kube", "config"))) {
      kc.loadFromFile(path.join(home, ".kube", "config"));
    } else if (env.KUBERNETES_SERVICE_HOST && fs.existsSync(SERVICE_ACCOUNT_TOKEN)) {
      kc.loadFromCluster();
    } else {
      return {
        unavailable:
          "no Kubernetes configuration: set kubernetes:kubeconfig, KUBECONFIG or ~/.kube/config, or run in a cluster",
      };
    }
  } catch (err) {
    return {
      unavailable: `the kubeconfig cannot be read: ${(err as Error).message.split("\n")[0]}`,
    };
  }
  if (settings.context) {
    if (!kc.getContextObject(settings.context)) {
      return {
        unavailable: `kubernetes:context "${settings.context}" is not a context of the kubeconfig`,
      };
    }
    kc.setCurrentContext(settings.context);
  }
  if (!kc.getCurrentCluster()) {
    return { unavailable: "the kubeconfig has no current context with a cluster" };
  }
  return { config: kc };
}

interface Page {
  items: unknown[];
  metadata?: { _continue?: string };
}
type Lister = (namespace: string | undefined, limit: number, next?: string) => Promise<Page>;

/** One list call per kind, cluster-wide or in one namespace. */
function listers(kc: KubeConfig): Record<GuardKind, Lister> {
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const q = (limit: number, next?: string) => ({ limit, ...(next && { _continue: next }) });
  return {
    Deployment: (ns, l, c) =>
      ns
        ? apps.listNamespacedDeployment({ namespace: ns, ...q(l, c) })
        : apps.listDeploymentForAllNamespaces(q(l, c)),
    ReplicaSet: (ns, l, c) =>
      ns
        ? apps.listNamespacedReplicaSet({ namespace: ns, ...q(l, c) })
        : apps.listReplicaSetForAllNamespaces(q(l, c)),
    StatefulSet: (ns, l, c) =>
      ns
        ? apps.listNamespacedStatefulSet({ namespace: ns, ...q(l, c) })
        : apps.listStatefulSetForAllNamespaces(q(l, c)),
    DaemonSet: (ns, l, c) =>
      ns
        ? apps.listNamespacedDaemonSet({ namespace: ns, ...q(l, c) })
        : apps.listDaemonSetForAllNamespaces(q(l, c)),
    Job: (ns, l, c) =>
      ns
        ? batch.listNamespacedJob({ namespace: ns, ...q(l, c) })
        : batch.listJobForAllNamespaces(q(l, c)),
    CronJob: (ns, l, c) =>
      ns
        ? batch.listNamespacedCronJob({ namespace: ns, ...q(l, c) })
        : batch.listCronJobForAllNamespaces(q(l, c)),
    Pod: (ns, l, c) =>
      ns
        ? core.listNamespacedPod({ namespace: ns, ...q(l, c) })
        : core.listPodForAllNamespaces(q(l, c)),
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

/**
 * Lists every guarded kind, page by page, into `scan`: cluster-wide, or in each of
 * `namespaces`. Throws an error naming the kind and scope that failed.
 */
export async function scanCluster(
  kc: KubeConfig,
  scan: ReferenceScan,
  options: { namespaces?: readonly string[]; pageSize?: number } = {},
): Promise<void> {
  const list = listers(kc);
  const scopes = options.namespaces ?? [undefined];
  const limit = options.pageSize ?? PAGE_SIZE;
  for (const kind of GUARD_KINDS) {
    for (const namespace of scopes) {
      let next: string | undefined;
      do {
        let page: Page;
        try {
          page = await list[kind](namespace, limit, next);
        } catch (err) {
          const where = namespace ? `in namespace ${namespace}` : "in all namespaces";
          throw new Error(`list ${kind}s ${where}: ${describeApiError(err)}`);
        }
        for (const item of page.items) scan.add(kind, item as LooseObject);
        next = page.metadata?._continue || undefined;
      } while (next);
    }
  }
}
