/**
 * Whether a linked workload's patch can set a variable in a container, from the live object
 * and its managedFields. Pure.
 *
 * Why (sources read, pulumi-kubernetes after v4.32.0 at 94977969, Kubernetes master at
 * 000f2605): apply merges the env entry by name (listType map): a literal `value` would stay
 * beside the patch's `valueFrom`, another source (`configMapKeyRef`, `fieldRef`, ...) beside
 * its `secretKeyRef`; the API server refuses both (pkg/apis/core/validation/validation.go
 * validateEnvVarValueFrom: "may not be specified when `value` is not empty", "may not have
 * more than one field specified at a time"). A `secretKeyRef` another field manager set is a
 * conflict. None of this shows in a preview of the first link: with no live state the preview
 * forces (provider/pkg/await/await.go patchForce).
 */
import type { ExternalKind } from "../../config/contract/workload";
import { FIELD_MANAGER } from "../../components/workloads/linkedWorkload";
import { type Loose, field, items, podSpec, text } from "./liveObject";

/** The managedFields path from the object to its pod spec's `containers` (fieldsV1 format). */
function containersPath(kind: ExternalKind): string[] {
  const template =
    kind === "CronJob"
      ? ["f:spec", "f:jobTemplate", "f:spec", "f:template"]
      : ["f:spec", "f:template"];
  return [...template, "f:spec", "f:containers"];
}

/** The child of a fieldsV1 list node whose key (`k:{"name":"api"}`) has `name`. */
function keyedChild(node: unknown, name: string): unknown {
  if (typeof node !== "object" || node === null) return undefined;
  for (const [k, child] of Object.entries(node as Loose)) {
    if (!k.startsWith("k:")) continue;
    try {
      if ((JSON.parse(k.slice(2)) as { name?: unknown }).name === name) return child;
    } catch {
      // Not a key this check reads.
    }
  }
  return undefined;
}

/** A field manager that owns the value of an env entry. */
interface Owner {
  manager: string;
  operation: string;
}

/**
 * Who owns the value (`value` or `valueFrom`) of `variable` in `container`, from the object's
 * managedFields; `recorded` is false when the object carries none (an offline file written
 * without `--show-managed-fields`).
 */
function valueOwners(
  kind: ExternalKind,
  live: unknown,
  container: string,
  variable: string,
): { recorded: boolean; owners: Owner[] } {
  const entries = items(field(live, "metadata"), "managedFields");
  const owners: Owner[] = [];
  for (const entry of entries) {
    let node: unknown = field(entry, "fieldsV1");
    for (const step of containersPath(kind)) node = field(node, step);
    const env = keyedChild(field(keyedChild(node, container), "f:env"), variable);
    if (field(env, "f:value") !== undefined || field(env, "f:valueFrom") !== undefined) {
      owners.push({
        manager: text(field(entry, "manager")) ?? "(unnamed)",
        operation: text(field(entry, "operation")) ?? "",
      });
    }
  }
  return { recorded: entries.length > 0, owners };
}

const isOurs = (o: Owner) => o.manager === FIELD_MANAGER && o.operation === "Apply";

/** The source an env entry reads from, in words. */
function sourceText(valueFrom: unknown): string {
  const sources = Object.keys(typeof valueFrom === "object" && valueFrom !== null ? valueFrom : {});
  return sources.length > 0
    ? `valueFrom.${sources.join(", valueFrom.")}`
    : "a valueFrom this client cannot read";
}

/**
 * Why the patch cannot set `variable` in `container`, or undefined when it can: the variable
 * is unset, or set by this program's own patch (its field manager owns it, or, when the object
 * records no managed fields, it is the reference the previous update declared).
 */
export function variableProblem(
  kind: ExternalKind,
  live: unknown,
  container: string,
  variable: string,
  previouslyLinked: readonly string[],
): string | undefined {
  const containers = items(podSpec(kind, live), "containers");
  const c = containers.find((x) => field(x, "name") === container);
  const entry = items(c, "env").find((e) => field(e, "name") === variable);
  if (entry === undefined) return undefined;
  const value = field(entry, "value");
  const valueFrom = field(entry, "valueFrom");
  const fix = `remove ${variable} from the workload's own manifest (its chart's values), or link a secret without the key ${variable}`;
  if (typeof value === "string" && value !== "") {
    return `already sets ${variable} with a literal value; the patch would add valueFrom beside it, which the API server refuses (value and valueFrom are exclusive): ${fix}`;
  }
  const ref = field(valueFrom, "secretKeyRef");
  const others = (owners: Owner[]) =>
    [...new Set(owners.filter((o) => !isOurs(o)).map((o) => `"${o.manager}"`))].join(", ");
  const { recorded, owners } = valueOwners(kind, live, container, variable);
  if (valueFrom !== undefined && valueFrom !== null && ref === undefined) {
    return `already sets ${variable} from ${sourceText(valueFrom)}; the patch's secretKeyRef would sit beside it, which the API server refuses (one source per variable): ${fix}`;
  }
  if (valueFrom === undefined || valueFrom === null) {
    // Declared without a value (an empty `value` is not stored): no conflict unless a manager
    // owns the empty value.
    const by = others(owners);
    return by
      ? `already declares ${variable}, owned by field manager ${by}: the patch would conflict with it: ${fix}`
      : undefined;
  }
  const by = others(owners);
  const target = `secretKeyRef ${text(field(ref, "name")) ?? "?"}/${text(field(ref, "key")) ?? "?"}`;
  if (by) {
    return `already sets ${variable} from ${target}, owned by field manager ${by}: the patch would conflict with it: ${fix}`;
  }
  if (owners.some(isOurs)) return undefined;
  // No managed fields say who set it: it is ours only if it is what the previous update linked.
  const name = text(field(ref, "name"));
  if (
    !recorded &&
    name !== undefined &&
    previouslyLinked.includes(name) &&
    field(ref, "key") === variable
  ) {
    return undefined;
  }
  return `already sets ${variable} from ${target}, and nothing shows that ${FIELD_MANAGER} set it${recorded ? "" : " (no managedFields recorded: write the --cluster file with --show-managed-fields)"}: ${fix}`;
}
