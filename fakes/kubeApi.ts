/**
 * A fake Kubernetes API server on the loopback interface that speaks the list API the guard
 * uses (and the GET of one object the linked workloads' check uses): the seven kinds,
 * cluster-wide and per namespace, paged with `limit` and `continue` as
 * the API server pages (k8s.io/apiserver: `metadata.continue` set while more items remain).
 * The real client talks to it over HTTP with a real kubeconfig; nothing in the program is
 * stubbed. It records every request, and can refuse chosen paths (RBAC), stop answering on
 * chosen paths (recording when the client gives up on such a request), or expire continue
 * tokens as the API server does once a paged list's snapshot is compacted (410 Expired).
 */
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import type { AddressInfo } from "net";
import type { GuardKind } from "../plan/guard/references";

/** Where each kind is listed: API group path and plural resource. */
export const KIND_PATHS: Record<GuardKind, { group: string; plural: string }> = {
  Deployment: { group: "/apis/apps/v1", plural: "deployments" },
  ReplicaSet: { group: "/apis/apps/v1", plural: "replicasets" },
  StatefulSet: { group: "/apis/apps/v1", plural: "statefulsets" },
  DaemonSet: { group: "/apis/apps/v1", plural: "daemonsets" },
  Job: { group: "/apis/batch/v1", plural: "jobs" },
  CronJob: { group: "/apis/batch/v1", plural: "cronjobs" },
  Pod: { group: "/api/v1", plural: "pods" },
};

export interface FakeObject {
  metadata: { name: string; namespace: string; [k: string]: unknown };
  [k: string]: unknown;
}

export interface RecordedRequest {
  path: string;
  limit?: number;
  continue?: string;
}

export class FakeKubeApi {
  private server?: http.Server;
  private readonly objects = new Map<GuardKind, FakeObject[]>();
  readonly requests: RecordedRequest[] = [];
  /** Paths (without the query) answered 403, as RBAC refuses a list. */
  readonly forbidden = new Set<string>();
  /** When true, every request is answered 500. */
  broken = false;
  /** The most items a page returns, whatever `limit` asks (the server may return fewer). */
  maxPage = Infinity;
  /** How many of the next requests carrying a continue token get 410 Expired. */
  expireContinues = 0;
  /** Paths (without the query) whose requests are never answered. */
  readonly held = new Set<string>();
  /** Paths of held requests the client closed (aborted) before an answer. */
  readonly abandoned: string[] = [];
  private abandonedWaiters: (() => void)[] = [];
  private dir?: string;
  /** The kubeconfig file that points at this server. */
  kubeconfig = "";
  /** The server's URL. */
  url = "";

  /** Replaces the cluster's contents. */
  load(objects: Partial<Record<GuardKind, FakeObject[]>>): void {
    this.objects.clear();
    for (const [kind, list] of Object.entries(objects)) this.objects.set(kind as GuardKind, list);
  }

  /** Empties the cluster and forgets requests and failures. */
  reset(): void {
    this.objects.clear();
    this.requests.length = 0;
    this.forbidden.clear();
    this.broken = false;
    this.maxPage = Infinity;
    this.expireContinues = 0;
    this.held.clear();
    this.abandoned.length = 0;
  }

  /** Resolves once the client has closed a held request unanswered. */
  whenAbandoned(): Promise<void> {
    if (this.abandoned.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.abandonedWaiters.push(resolve));
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-kube-"));
    this.kubeconfig = path.join(this.dir, "config");
    this.url = `http://127.0.0.1:${port}`;
    fs.writeFileSync(this.kubeconfig, kubeconfigFor(this.url));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", "http://fake");
    const limit = url.searchParams.get("limit");
    const token = url.searchParams.get("continue") ?? undefined;
    this.requests.push({
      path: url.pathname,
      ...(limit !== null && { limit: Number(limit) }),
      ...(token && { continue: token }),
    });
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const status = (code: number, reason: string, message: string) =>
      send(code, { kind: "Status", apiVersion: "v1", status: "Failure", reason, message, code });
    if (this.broken) return status(500, "InternalError", "the fake API server is down");
    if (this.held.has(url.pathname)) {
      res.on("close", () => {
        this.abandoned.push(url.pathname);
        for (const wake of this.abandonedWaiters.splice(0)) wake();
      });
      return;
    }
    if (token && this.expireContinues > 0) {
      this.expireContinues--;
      // k8s.io/apiserver: a continue token whose snapshot was compacted.
      return status(
        410,
        "Expired",
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.",
      );
    }
    if (this.forbidden.has(url.pathname)) {
      return status(403, "Forbidden", `forbidden: cannot list resource at ${url.pathname}`);
    }
    const match = matchPath(url.pathname);
    if (!match) return status(404, "NotFound", `no route ${url.pathname}`);
    if (match.name !== undefined) {
      // A GET of one object, as the linked workloads' check reads: the object or a 404 Status.
      const found = (this.objects.get(match.kind) ?? []).find(
        (o) => o.metadata.namespace === match.namespace && o.metadata.name === match.name,
      );
      if (found) return send(200, found);
      const plural = KIND_PATHS[match.kind].plural;
      return status(404, "NotFound", `${plural}.apps "${match.name}" not found`);
    }
    const all = (this.objects.get(match.kind) ?? []).filter(
      (o) => match.namespace === undefined || o.metadata.namespace === match.namespace,
    );
    const start = token ? Number(Buffer.from(token, "base64").toString("utf8")) : 0;
    const size = Math.min(limit ? Number(limit) : Infinity, this.maxPage);
    const items = all.slice(start, start + size);
    const end = start + items.length;
    send(200, {
      kind: `${match.kind}List`,
      apiVersion: KIND_PATHS[match.kind].group.replace(/^\/apis?\//, ""),
      metadata: {
        resourceVersion: "1",
        ...(end < all.length && { continue: Buffer.from(String(end)).toString("base64") }),
      },
      items,
    });
  }
}

function matchPath(
  pathname: string,
): { kind: GuardKind; namespace?: string; name?: string } | undefined {
  for (const [kind, { group, plural }] of Object.entries(KIND_PATHS)) {
    if (pathname === `${group}/${plural}`) return { kind: kind as GuardKind };
    const m = pathname.match(new RegExp(`^${group}/namespaces/([^/]+)/${plural}(?:/([^/]+))?$`));
    if (m) return { kind: kind as GuardKind, namespace: m[1], ...(m[2] && { name: m[2] }) };
  }
  return undefined;
}

/** A kubeconfig with one context that reaches `server` with a bearer token. */
export function kubeconfigFor(server: string, context = "fake"): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    `- name: ${context}`,
    "  cluster:",
    `    server: ${server}`,
    // client-node refuses plain HTTP unless TLS verification is explicitly skipped.
    "    insecure-skip-tls-verify: true",
    "users:",
    `- name: ${context}`,
    "  user:",
    "    token: fake-token",
    "contexts:",
    `- name: ${context}`,
    "  context:",
    `    cluster: ${context}`,
    `    user: ${context}`,
    `current-context: ${context}`,
    "",
  ].join("\n");
}

/** A pod spec whose one container reads `secret` through `how`. */
export function podSpecReading(
  secret: string,
  how: "envFrom" | "secretKeyRef" | "volume" | "projected" | "imagePullSecrets" = "envFrom",
): Record<string, unknown> {
  const container: Record<string, unknown> = { name: "app", image: "example/app:1" };
  const spec: Record<string, unknown> = { containers: [container] };
  if (how === "envFrom") container.envFrom = [{ secretRef: { name: secret } }];
  if (how === "secretKeyRef") {
    container.env = [
      { name: "TOKEN", valueFrom: { secretKeyRef: { name: secret, key: "api_token" } } },
    ];
  }
  if (how === "volume") spec.volumes = [{ name: "s", secret: { secretName: secret } }];
  if (how === "projected") {
    spec.volumes = [{ name: "p", projected: { sources: [{ secret: { name: secret } }] } }];
  }
  if (how === "imagePullSecrets") spec.imagePullSecrets = [{ name: secret }];
  return spec;
}

/** An object of `kind` in `namespace` whose pods read `secret`. */
export function objectReading(
  kind: GuardKind,
  namespace: string,
  name: string,
  secret: string,
  how?: Parameters<typeof podSpecReading>[1],
  extra: { labels?: Record<string, string>; ownerKind?: string; status?: unknown } = {},
): FakeObject {
  const podSpec = podSpecReading(secret, how);
  const template = { metadata: { labels: extra.labels ?? {} }, spec: podSpec };
  const spec =
    kind === "Pod"
      ? podSpec
      : kind === "CronJob"
        ? { schedule: "0 3 * * *", jobTemplate: { spec: { template } } }
        : { template, ...(kind === "ReplicaSet" && { replicas: 0 }) };
  return {
    metadata: {
      name,
      namespace,
      ...(extra.labels && { labels: extra.labels }),
      ...(extra.ownerKind && {
        ownerReferences: [
          { apiVersion: "apps/v1", kind: extra.ownerKind, name: "owner", uid: "u" },
        ],
      }),
    },
    spec,
    ...(extra.status !== undefined && { status: extra.status }),
  };
}
