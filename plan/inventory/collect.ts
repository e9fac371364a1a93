/**
 * What the inventory keeps of the listed objects, fed page by page by the same paged read as
 * the reference guard (`reads/cluster.ts` scanCluster) or by the `--cluster` file. Pure. It
 * keeps only what reads one of the asked-about Secret names (with the guard's own reference
 * rules: `references.ts` podSpecSecretNames and isFinished), plus, for every ReplicaSet and Job,
 * the name of its controller (a Deployment, a CronJob), so that a pod's owning workload can be
 * found: its memory is bounded by the answer and the number of ReplicaSets and Jobs.
 *
 * Upstream rules it relies on (read in the sources, kubernetes/kubernetes and
 * kubernetes/apimachinery):
 * - an object's owning workload is its controller: the ownerReference with `controller: true`
 *   (apimachinery pkg/apis/meta/v1/controller_ref.go GetControllerOf, GetControllerOfNoCopy;
 *   the workload controllers set it with NewControllerRef): a Deployment controls its
 *   ReplicaSets and they their Pods, a CronJob its Jobs and they their Pods, a StatefulSet or a
 *   DaemonSet its Pods. An ownerReference without `controller` is not the owning workload;
 * - a ReplicaSet's place in its Deployment's history is its `deployment.kubernetes.io/revision`
 *   annotation (kubernetes pkg/controller/deployment/util/deployment_util.go
 *   RevisionAnnotation, Revision); an old one stays scaled to 0 for `kubectl rollout undo`;
 * - a pod is ready when its `Ready` condition is `True` (kubernetes pkg/api/v1/pod/util.go
 *   IsPodReady, IsPodReadyConditionTrue).
 */
import {
  type GuardKind,
  type LooseObject,
  isFinished,
  podSpecOf,
  podSpecSecretNames,
} from "../guard/references";
import { field, items } from "../workloads/liveObject";

/** An object's controller: the kind and name of the ownerReference marked `controller`. */
export interface Controller {
  kind: string;
  name: string;
}

/** A pod that can still run a container and reads at least one asked-about Secret. */
export interface PodFact {
  namespace: string;
  name: string;
  controller?: Controller;
  ready: boolean;
  /**
   * It ends on its own, and no rollout replaces it: it is terminating (`deletionTimestamp`), or
   * a Job runs it (a Job's pod template cannot change once created). Never stale.
   */
  settling?: true;
  /** The asked-about Secret names it reads, without repeats. */
  names: string[];
}

/** A workload (not a Pod) whose pod template reads at least one asked-about Secret. */
export interface TemplateFact {
  kind: Exclude<GuardKind, "Pod">;
  namespace: string;
  name: string;
  controller?: Controller;
  names: string[];
  /** ReplicaSets: `spec.replicas` (default 1). */
  replicas?: number;
  /** ReplicaSets: the `deployment.kubernetes.io/revision` annotation. */
  revision?: string;
  /** CronJobs: `spec.suspend`. */
  suspended?: boolean;
}

/** What the inventory read of the cluster. */
export interface ClusterFacts {
  pods: PodFact[];
  templates: TemplateFact[];
  /** `ReplicaSet ns/name` or `Job ns/name` → its controller, for every one listed. */
  controllers: Map<string, Controller>;
}

export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";

/** The ownerReference marked `controller: true`, if any. */
export function controllerOf(object: LooseObject): Controller | undefined {
  const refs = items(object.metadata, "ownerReferences");
  const ref = refs.find((r) => field(r, "controller") === true);
  const kind = field(ref, "kind");
  const name = field(ref, "name");
  return typeof kind === "string" && typeof name === "string" ? { kind, name } : undefined;
}

/** Whether a pod's `Ready` condition is `True`. */
export function isPodReady(pod: LooseObject): boolean {
  return items(pod.status, "conditions").some(
    (c) => field(c, "type") === "Ready" && field(c, "status") === "True",
  );
}

/** The key of an object in `controllers`. */
export const objectKey = (kind: string, namespace: string, name: string) =>
  `${kind} ${namespace}/${name}`;

/** Fed the listed objects; keeps what the inventory needs (see the file's comment). */
export class InventoryScan {
  private readonly pods: PodFact[] = [];
  private readonly templates: TemplateFact[] = [];
  private readonly controllers = new Map<string, Controller>();

  constructor(private readonly names: ReadonlySet<string>) {}

  add(kind: GuardKind, object: LooseObject, names?: readonly string[]): void {
    const namespace = object.metadata?.namespace ?? "";
    const name = object.metadata?.name ?? "";
    const controller = controllerOf(object);
    if ((kind === "ReplicaSet" || kind === "Job") && controller) {
      this.controllers.set(objectKey(kind, namespace, name), controller);
    }
    const read = names ?? podSpecSecretNames(podSpecOf(kind, object));
    const hits = [...new Set(read)].filter((n) => this.names.has(n));
    if (hits.length === 0 || isFinished(kind, object)) return;
    const base = { namespace, name, ...(controller && { controller }), names: hits };
    if (kind === "Pod") {
      // A terminating pod is not active (kubernetes pkg/controller/controller_utils.go
      // IsPodActive: DeletionTimestamp == nil); the guard still counts it, as it holds the version.
      const settling =
        field(object.metadata, "deletionTimestamp") != null || controller?.kind === "Job";
      this.pods.push({ ...base, ready: isPodReady(object), ...(settling && { settling }) });
      return;
    }
    const fact: TemplateFact = { kind, ...base };
    if (kind === "ReplicaSet") {
      const replicas = field(object.spec, "replicas");
      fact.replicas = typeof replicas === "number" ? replicas : 1;
      const annotations = field(object.metadata, "annotations");
      const revision = field(annotations, REVISION_ANNOTATION);
      if (typeof revision === "string") fact.revision = revision;
    }
    if (kind === "CronJob") fact.suspended = field(object.spec, "suspend") === true;
    this.templates.push(fact);
  }

  /** An empty scan for one list (scan.ts ScanSink). */
  part(): InventoryScan {
    return new InventoryScan(this.names);
  }

  absorb(part: InventoryScan): void {
    this.pods.push(...part.pods);
    this.templates.push(...part.templates);
    for (const [key, owner] of part.controllers) this.controllers.set(key, owner);
  }

  facts(): ClusterFacts {
    return { pods: this.pods, templates: this.templates, controllers: this.controllers };
  }
}
