/**
 * The guard's Kubernetes RBAC: a ClusterRole with only `list` on the kinds the reference guard
 * lists and `get` on the kinds of the linked workloads it reads, never `secrets`, and its
 * binding: a ClusterRoleBinding when the guard lists every namespace, else a RoleBinding in each
 * namespace it reads (a RoleBinding may grant a ClusterRole's rules in one namespace).
 */
import { GUARD_LISTED, KUBE_RESOURCES, LINKED_READ, type KubeResource } from "./actions";

/** Who runs `pulumi preview`/`up` in the cluster. */
export interface RbacSubject {
  kind: "User" | "Group" | "ServiceAccount";
  name: string;
  namespace?: string;
}

/** The default subject: a group the operator maps the deployer's identity to. */
export const DEFAULT_SUBJECT: RbacSubject = { kind: "Group", name: "secret-rotation-deployers" };

/** `User:alice`, `Group:deployers`, `ServiceAccount:ci/deployer`: a subject, or an error. */
export function parseSubject(text: string): RbacSubject {
  const m = /^(User|Group|ServiceAccount):(.+)$/.exec(text);
  const problem = `--subject ${JSON.stringify(text)}: write User:<name>, Group:<name> or ServiceAccount:<namespace>/<name>`;
  if (!m) throw new Error(problem);
  const kind = m[1] as RbacSubject["kind"];
  if (kind !== "ServiceAccount") return { kind, name: m[2] };
  const sa = /^([^/]+)\/([^/]+)$/.exec(m[2]);
  if (!sa) throw new Error(problem);
  return { kind, namespace: sa[1], name: sa[2] };
}

/**
 * The default prefix of the RBAC objects' name, `<prefix>-<stack>`. Two programs with a stack of
 * the same name in one cluster would share it: give each its own with `--name`.
 */
export const RBAC_NAME_PREFIX = "secret-rotation-guard";

/**
 * A `--name` prefix, or an error: with `-<stack>` it must stay a valid RBAC object name (a
 * DNS subdomain: lowercase alphanumerics, `-` and `.`, at most 253 characters).
 */
export function parseNamePrefix(text: string, stack: string): string {
  const name = `${text}-${stack}`;
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(text) || name.length > 253) {
    throw new Error(
      `--name ${JSON.stringify(text)}: the RBAC objects are named <name>-<stack>, which must be a DNS subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit, at most 253 characters (default ${RBAC_NAME_PREFIX})`,
    );
  }
  return text;
}

export interface RbacInputs {
  stack: string;
  /** The objects' name prefix; default RBAC_NAME_PREFIX. */
  prefix?: string;
  /** Whether the guard lists the cluster (a versioned stack with `guard.kubernetes` on). */
  guardKubernetes: boolean;
  /** `guard.namespaces` plus the stack's namespace; undefined: every namespace. */
  namespaces?: readonly string[];
  /** The namespaces of the linked workloads (`owner: external`), each read with a GET. */
  linkedNamespaces: readonly string[];
  subjects: readonly RbacSubject[];
}

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** A Kubernetes object as `kubectl apply` takes it. */
export type KubeObject = Record<string, unknown>;

/** One rule per API group and set of verbs, resources sorted. */
function rulesFor(listed: readonly KubeResource[], got: readonly KubeResource[]): PolicyRule[] {
  const verbsOf = new Map<string, { r: KubeResource; verbs: Set<string> }>();
  const add = (r: KubeResource, verb: string) => {
    const key = `${r.apiGroup}/${r.resource}`;
    const entry = verbsOf.get(key) ?? { r, verbs: new Set<string>() };
    entry.verbs.add(verb);
    verbsOf.set(key, entry);
  };
  for (const r of listed) add(r, "list");
  for (const r of got) add(r, "get");
  const rules = new Map<string, PolicyRule>();
  for (const { r, verbs } of verbsOf.values()) {
    const sorted = [...verbs].sort();
    const key = `${r.apiGroup}\u0000${sorted.join(",")}`;
    const rule = rules.get(key) ?? { apiGroups: [r.apiGroup], resources: [], verbs: sorted };
    rule.resources.push(r.resource);
    rules.set(key, rule);
  }
  const order = (x: PolicyRule) => `${x.apiGroups[0]}\u0000${x.verbs.join(",")}`;
  return [...rules.values()]
    .map((x) => ({ ...x, resources: x.resources.sort() }))
    .sort((a, b) => (order(a) < order(b) ? -1 : 1));
}

/** The RBAC objects, in apply order; empty when the program reads nothing in the cluster. */
export function guardRbac(i: RbacInputs): KubeObject[] {
  const listed = i.guardKubernetes ? GUARD_LISTED.map((k) => KUBE_RESOURCES[k]) : [];
  const got = i.linkedNamespaces.length > 0 ? LINKED_READ.map((k) => KUBE_RESOURCES[k]) : [];
  if (listed.length === 0 && got.length === 0) return [];
  const name = `${i.prefix ?? RBAC_NAME_PREFIX}-${i.stack}`;
  const labels = {
    "app.kubernetes.io/managed-by": "secret-rotation",
    "secret-rotation/stack": i.stack,
  };
  const role: KubeObject = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name, labels },
    rules: rulesFor(listed, got),
  };
  const subjects = i.subjects.map((s) =>
    s.kind === "ServiceAccount"
      ? { kind: s.kind, name: s.name, namespace: s.namespace }
      : { kind: s.kind, name: s.name, apiGroup: "rbac.authorization.k8s.io" },
  );
  const roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name };
  if (i.guardKubernetes && i.namespaces === undefined) {
    return [
      role,
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name, labels },
        roleRef,
        subjects,
      },
    ];
  }
  const namespaces = new Set([
    ...(i.guardKubernetes ? (i.namespaces ?? []) : []),
    ...i.linkedNamespaces,
  ]);
  return [
    role,
    ...[...namespaces].sort().map((namespace) => ({
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name, namespace, labels },
      roleRef,
      subjects,
    })),
  ];
}
