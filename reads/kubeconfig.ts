/**
 * The kubeconfig, context and cluster the Kubernetes provider uses, resolved as the provider
 * resolves them, into a client configuration for the cluster read (`cluster.ts`).
 *
 * The provider's resolution (pulumi-kubernetes provider/pkg/provider/provider.go Configure and
 * util.go parseKubeconfigString, master 94977969, after v4.32.0): `kubernetes:kubeconfig` is a
 * path (a leading `~` expanded) when such a file exists, else the kubeconfig's contents, used
 * as it is (clientcmd.NewDefaultClientConfig); without it client-go's default loading rules
 * apply (clientcmd.NewDefaultClientConfigLoadingRules, NewInteractiveDeferredLoadingClientConfig).
 * Either way `kubernetes:context` and `kubernetes:cluster` are ConfigOverrides
 * (CurrentContext, Context.Cluster).
 *
 * client-go's rules (kubernetes/client-go master 32ce75a, tools/clientcmd):
 * - loader.go NewDefaultClientConfigLoadingRules: the files of `KUBECONFIG` (split on the path
 *   list separator, duplicates dropped), else `~/.kube/config`;
 * - loader.go ClientConfigLoadingRules.Load: a missing file is skipped, any other unreadable
 *   file is an error; the first file to define a context, cluster or user name wins, whole
 *   (later files' entries of that name are discarded); the first non-empty current-context
 *   wins; relative paths resolve against the file that holds them (ResolveLocalPaths:
 *   certificate-authority, client-certificate, client-key, tokenFile, an exec command with a
 *   path separator);
 * - client_config.go DirectClientConfig getContext / getCluster / ConfirmUsable: an override
 *   context or cluster that does not exist is an error, as is a current-context naming no
 *   context; the override cluster replaces the context's cluster, the context's user stays;
 * - merged_client_builder.go DeferredLoadingClientConfig.ClientConfig: only an empty
 *   configuration falls back to the in-cluster service account (inClusterClientConfig.Possible:
 *   KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT and the token file).
 *
 * @kubernetes/client-node 1.4.0 merges differently (KubeConfig.mergeConfig throws on a name
 * two files share, loadFromFile throws on a missing file, the last current-context wins, and it
 * ignores `tokenFile`), so the files are merged here and client-node parses one file at a time.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { type Cluster, type Context, KubeConfig, type User } from "@kubernetes/client-node";
import * as YAML from "yaml";

/** The provider's settings as the stack config holds them. */
export interface ClusterSettings {
  /** `kubernetes:kubeconfig`: a path or a kubeconfig's contents. */
  kubeconfig?: string;
  /** `kubernetes:context`. */
  context?: string;
  /** `kubernetes:cluster`: the kubeconfig cluster to use instead of the context's. */
  cluster?: string;
}

/** Where an in-cluster pod finds its service account token (client-go rest.InClusterConfig). */
export const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

const expandHome = (p: string, home: string) =>
  p === "~" ? home : p.startsWith("~/") ? path.join(home, p.slice(2)) : p;

/** One kubeconfig file, parsed. */
interface KubeconfigFile {
  clusters: Cluster[];
  users: User[];
  contexts: Context[];
  currentContext?: string;
}

/**
 * Parses one kubeconfig with client-node, then applies what it leaves out: relative paths
 * against `dir` (when the kubeconfig came from a file of the loading rules), and the user field
 * `tokenFile`, which client-node does not read, as its `tokenFile` auth provider (FileAuth
 * reads the file per request, as client-go does).
 */
function parseKubeconfig(text: string, dir?: string): KubeconfigFile {
  const kc = new KubeConfig();
  kc.loadFromString(text);
  if (dir) kc.makePathsAbsolute(dir);
  const raw = YAML.parse(text) as { users?: { name?: string; user?: Record<string, unknown> }[] };
  const absolute = (p: string) => (dir && !path.isAbsolute(p) ? path.join(dir, p) : p);
  const rawUsers = new Map((raw?.users ?? []).map((u) => [u?.name, u?.user ?? {}]));
  const users = kc.getUsers().map((user): User => {
    const r = rawUsers.get(user.name) ?? {};
    let next: User = user;
    if (typeof r.tokenFile === "string" && r.tokenFile && !user.token) {
      next = {
        ...next,
        authProvider: { name: "tokenFile", config: { tokenFile: absolute(r.tokenFile) } },
      };
    }
    const exec = user.exec as { command?: unknown } | undefined;
    if (typeof exec?.command === "string" && exec.command.includes(path.sep)) {
      next = { ...next, exec: { ...exec, command: absolute(exec.command) } };
    }
    return next;
  });
  return {
    clusters: kc.getClusters(),
    users,
    contexts: kc.getContexts(),
    ...(kc.getCurrentContext() && { currentContext: kc.getCurrentContext() }),
  };
}

/** client-go loader.go Load: first file wins per name; first non-empty current-context. */
export function mergeKubeconfigs(files: readonly KubeconfigFile[]): KubeconfigFile {
  const firstByName = <T extends { name: string }>(lists: T[][]) => {
    const out = new Map<string, T>();
    for (const list of lists)
      for (const item of list) if (!out.has(item.name)) out.set(item.name, item);
    return [...out.values()];
  };
  const currentContext = files.find((f) => f.currentContext)?.currentContext;
  return {
    clusters: firstByName(files.map((f) => f.clusters)),
    users: firstByName(files.map((f) => f.users)),
    contexts: firstByName(files.map((f) => f.contexts)),
    ...(currentContext && { currentContext }),
  };
}

const firstLine = (err: unknown) => ((err as Error).message ?? String(err)).split("\n")[0];

/** The files the loading rules read: `KUBECONFIG`'s, duplicates dropped, else ~/.kube/config. */
export function kubeconfigPrecedence(env: NodeJS.ProcessEnv, home: string): string[] {
  if (env.KUBECONFIG) {
    return [...new Set(env.KUBECONFIG.split(path.delimiter).filter((f) => f !== ""))];
  }
  return [path.join(home, ".kube", "config")];
}

/**
 * The client configuration, or why there is none. Never falls back to `localhost:8080` (what
 * client-node and client-go do with no configuration at all): no configuration means the guard
 * cannot look, and says what to configure.
 */
export function loadKubeConfig(
  settings: ClusterSettings,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): { config: KubeConfig } | { unavailable: string } {
  let merged: KubeconfigFile;
  let fromLoadingRules = false;
  if (settings.kubeconfig) {
    const file = expandHome(settings.kubeconfig, home);
    try {
      merged = parseKubeconfig(fs.existsSync(file) ? fs.readFileSync(file, "utf8") : file);
    } catch (err) {
      return { unavailable: `kubernetes:kubeconfig cannot be read: ${firstLine(err)}` };
    }
  } else {
    fromLoadingRules = true;
    const files: KubeconfigFile[] = [];
    for (const file of kubeconfigPrecedence(env, home)) {
      let text: string;
      try {
        text = fs.readFileSync(file, "utf8");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
        return { unavailable: `the kubeconfig ${file} cannot be read: ${firstLine(err)}` };
      }
      try {
        files.push(parseKubeconfig(text, path.dirname(path.resolve(file))));
      } catch (err) {
        return { unavailable: `the kubeconfig ${file} cannot be read: ${firstLine(err)}` };
      }
    }
    merged = mergeKubeconfigs(files);
  }

  const contextName = settings.context || merged.currentContext;
  const context = contextName ? merged.contexts.find((c) => c.name === contextName) : undefined;
  if (contextName && !context) {
    return {
      unavailable: settings.context
        ? `kubernetes:context "${settings.context}" is not a context of the kubeconfig`
        : `the kubeconfig's current-context "${contextName}" is not one of its contexts`,
    };
  }
  const clusterName = settings.cluster || context?.cluster;
  if (!clusterName) {
    const inCluster =
      env.KUBERNETES_SERVICE_HOST &&
      env.KUBERNETES_SERVICE_PORT &&
      fs.existsSync(SERVICE_ACCOUNT_TOKEN) &&
      !fs.statSync(SERVICE_ACCOUNT_TOKEN).isDirectory();
    if (fromLoadingRules && inCluster) {
      const kc = new KubeConfig();
      kc.loadFromCluster();
      return { config: kc };
    }
    return {
      unavailable:
        "no Kubernetes configuration: set kubernetes:kubeconfig, KUBECONFIG or ~/.kube/config (with a current context), or run in a cluster",
    };
  }
  const cluster = merged.clusters.find((c) => c.name === clusterName);
  if (!cluster) {
    return {
      unavailable: settings.cluster
        ? `kubernetes:cluster "${settings.cluster}" is not a cluster of the kubeconfig`
        : `the kubeconfig's context "${contextName}" names cluster "${clusterName}", which it does not define`,
    };
  }
  // A context's user that is not defined means no credentials (client-go getAuthInfo).
  const user = context?.user ? merged.users.find((u) => u.name === context.user) : undefined;
  const effective = contextName ?? `cluster ${clusterName}`;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: user ? [user] : [],
    contexts: [
      {
        name: effective,
        cluster: cluster.name,
        ...(user && { user: user.name }),
        ...(context?.namespace && { namespace: context.namespace }),
      },
    ],
    currentContext: effective,
  });
  return { config: kc };
}
