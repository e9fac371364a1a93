/**
 * What the policies read from a stack's resources (`StackValidationArgs.resources`): the
 * `RotatedSecret` components, what each wrote, the environment it wrote for, and the Secret
 * names workloads reference. Imports nothing of this repository (names.ts holds copies of
 * the names it needs), so the pack runs, and publishes, from its folder alone.
 *
 * A stack policy receives every resource of the stack with its final outputs and its parent
 * (pulumi v3.248.0 pkg/resource/deploy/step_generator.go AnalyzeResources; @pulumi/policy
 * v1.21.0 server.ts makeAnalyzeStackRpcFun fills `parent`), after `pulumi preview` and after
 * `pulumi up` alike (deployment_executor.go: AnalyzeResources runs whenever the steps
 * succeeded, dry run or not). During a preview some outputs are unknown: reading one through
 * the pack's proxy throws `UnknownValueError` (@pulumi/policy proxy.ts). `dig` turns that into
 * `UNKNOWN`, and the policies skip an unknown value rather than report it.
 */
import { AWS_TAGS, LABELS, isVersionId } from "./names";

/** The resource shape the policies read: `PolicyResource` of @pulumi/policy, in part. */
export interface StackResource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  parent?: StackResource;
}

/** The component type `RotatedSecret` registers (components/secrets/rotatedSecret.ts). */
export const ROTATED_SECRET_TYPE = "secret-rotation:secrets:RotatedSecret";
/** The types a `RotatedSecret` writes: `@pulumi/aws` and `@pulumi/kubernetes` type tokens. */
export const AWS_SECRET_TYPE = "aws:secretsmanager/secret:Secret";
export const KUBERNETES_SECRET_TYPE = "kubernetes:core/v1:Secret";
/** An ExternalSecret, whatever its API version (components/secrets/versionCopy.ts). */
export const EXTERNAL_SECRET_TYPE = /^kubernetes:external-secrets\.io\/[^:]+:ExternalSecret$/;

/** A value the engine does not know yet (during a preview). */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");

/** `value[path...]`, `UNKNOWN` when a step is unknown, undefined when a step is absent. */
export function dig(value: unknown, ...path: (string | number)[]): unknown {
  let at: unknown = value;
  for (const key of path) {
    if (at === UNKNOWN) return UNKNOWN;
    if (typeof at !== "object" || at === null) return undefined;
    try {
      at = (at as Record<string | number, unknown>)[key];
    } catch (e) {
      // @pulumi/policy's UnknownValueError (proxy.ts) carries the sentinel it met.
      if (e instanceof Error && "unknownTypeSentinel" in e) return UNKNOWN;
      throw e;
    }
  }
  return at;
}

/** The elements of an array value (none when absent or unknown). */
export function elements(value: unknown): unknown[] {
  if (!Array.isArray(value)) return [];
  const out: unknown[] = [];
  for (let i = 0; i < value.length; i++) out.push(dig(value, i));
  return out;
}

/** The stack name in a URN: `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function stackOfUrn(urn: string): string {
  return urn.replace(/^urn:pulumi:/, "").split("::")[0];
}

/** One `RotatedSecret` component and what it wrote. */
export interface RotatedSecretResources {
  /** The component: its name is the logical secret name. */
  component: StackResource;
  /** The environment its AWS secrets are tagged with; the stack name when none says. */
  environment: string;
  awsSecrets: StackResource[];
  /** Kubernetes Secrets and ExternalSecrets: the per-version copies. */
  copies: StackResource[];
}

/** Every `RotatedSecret` of the stack with its children, in resource order. */
export function rotatedSecrets(resources: readonly StackResource[]): RotatedSecretResources[] {
  const found = new Map<string, RotatedSecretResources>();
  for (const r of resources) {
    if (r.type !== ROTATED_SECRET_TYPE) continue;
    const entry = { component: r, environment: "", awsSecrets: [], copies: [] };
    found.set(r.urn, entry);
  }
  for (const r of resources) {
    const owner = r.parent && found.get(r.parent.urn);
    if (!owner) continue;
    if (r.type === AWS_SECRET_TYPE) owner.awsSecrets.push(r);
    if (r.type === KUBERNETES_SECRET_TYPE || EXTERNAL_SECRET_TYPE.test(r.type)) {
      owner.copies.push(r);
    }
  }
  for (const entry of found.values()) {
    const tagged = entry.awsSecrets
      .map((s) => dig(s.props, "tags", AWS_TAGS.environment))
      .find((e): e is string => typeof e === "string" && e !== "");
    entry.environment = tagged ?? stackOfUrn(entry.component.urn);
  }
  return [...found.values()];
}

/**
 * The stack's environments: those its `RotatedSecret`s write for, or, with none, the stack
 * name (from any resource's URN).
 */
export function stackEnvironments(resources: readonly StackResource[]): Set<string> {
  const envs = new Set(rotatedSecrets(resources).map((s) => s.environment));
  if (envs.size === 0 && resources.length > 0) envs.add(stackOfUrn(resources[0].urn));
  return envs;
}

/** The Kubernetes name of a copy, or `UNKNOWN`/undefined. */
export function metadataName(r: StackResource): unknown {
  return dig(r.props, "metadata", "name");
}

/** The value of `label` on a Kubernetes object. */
export function label(r: StackResource, key: string): unknown {
  return dig(r.props, "metadata", "labels", key);
}

export { LABELS, isVersionId };
