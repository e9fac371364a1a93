/**
 * Engine rules behind moving a workload to blue-green slots and switching between them
 * (docs/blue-green.md): which changes replace a Service or a Deployment, and when Pulumi
 * deletes what the program no longer declares.
 *
 * Sources:
 * - pulumi-kubernetes master 94977969, provider/pkg/provider/diff.go `forceNewProperties`:
 *   a Service is replaced only when `.spec.clusterIP` changes; a Deployment when `.spec.selector`
 *   (or its matchLabels/matchExpressions) changes. Any other change is an update in place.
 * - pulumi v3.248.0: a resource registration returns only once its step is done
 *   (pkg/resource/deploy/source_eval.go `RegisterResource`: "block waiting for the operation to
 *   finish", `<-step.done`), the Node.js program ends only when its RPCs drained
 *   (sdk/nodejs/runtime/settings.ts `waitForRPCs`), and the resources it no longer declares are
 *   deleted after that, in `performPostSteps` (pkg/resource/deploy/deployment_executor.go
 *   `Execute`: `seenNil && asyncEventsExpected == 0`, then `GenerateDeletes`). So a rolling
 *   workload's Deployment is deleted only after both slots were created and awaited, and the
 *   Service switched: traffic never drops.
 */
import { strict as assert } from "assert";
import {
  type ProgramRun,
  TYPES,
  baseConfig,
  find,
  inputsOf,
  runHistory,
  secretOf,
  workloadOf,
} from "./helpers";

/** diff.go forceNewProperties for the two kinds the slots touch (paths as diff.go writes them). */
const FORCE_NEW: Record<string, RegExp> = {
  Service: /^\.spec\.clusterIP$/,
  Deployment: /^\.spec\.selector(\.|$)/,
};

/** The property paths that differ between two input objects (leaves, `.a.b` form). */
function changedPaths(a: unknown, b: unknown, at = ""): string[] {
  const isMap = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (isMap(a) && isMap(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => changedPaths(a[k], b[k], `${at}.${k}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
}

const replaces = (kind: string, paths: readonly string[]) =>
  paths.some((p) => FORCE_NEW[kind].test(p));

const NEW = "20250801090000";
const ACTIVE = "20250723110000";

describe("engine rules: what replaces a Service or a Deployment (pulumi-kubernetes provider/pkg/provider/diff.go forceNewProperties, master 94977969)", () => {
  it("the model: a Service is replaced by a clusterIP change only; a Deployment by a selector change", () => {
    assert.equal(replaces("Service", [".spec.selector.secret-rotation/slot"]), false);
    assert.equal(replaces("Service", [".spec.clusterIP"]), true);
    assert.equal(
      replaces("Deployment", [".spec.replicas", ".spec.template.metadata.annotations"]),
      false,
    );
    assert.equal(replaces("Deployment", [".spec.selector.matchLabels.app"]), true);
  });

  it("migration, promotion and rollback update the Service in place and never change a slot's selector", async () => {
    const rolling = baseConfig();
    const bg = (active: string) => {
      const c = baseConfig();
      Object.assign(workloadOf(c, "auth-service"), { strategy: "blueGreen" });
      secretOf(c).versions[NEW] = { api_token: "token-v4" };
      secretOf(c).active = active;
      return c;
    };
    const runs = await runHistory([
      { config: rolling, now: "20250724000000" },
      { config: bg(ACTIVE), now: "20250801100000" },
      { config: bg(NEW), now: "20250801110000" },
      { config: bg(ACTIVE), now: "20250801120000" },
    ]);
    for (const run of runs) assert.equal(run.error, undefined, run.error?.message);
    const service = (run: ProgramRun) => inputsOf(find(run, TYPES.service, "auth-service-service"));
    for (let i = 1; i < runs.length; i++) {
      const paths = changedPaths(service(runs[i - 1]), service(runs[i]));
      assert.ok(paths.length > 0, `update ${i} moves the selector`);
      assert.ok(
        paths.every((p) => p.startsWith(".spec.selector.")),
        paths.join(", "),
      );
      assert.equal(replaces("Service", paths), false, `update ${i}: ${paths.join(", ")}`);
    }
    for (const slot of ["blue", "green"]) {
      for (let i = 2; i < runs.length; i++) {
        const before = inputsOf(find(runs[i - 1], TYPES.deployment, `auth-service-${slot}`));
        const after = inputsOf(find(runs[i], TYPES.deployment, `auth-service-${slot}`));
        assert.equal(
          replaces("Deployment", changedPaths(before, after)),
          false,
          `${slot}, update ${i}`,
        );
      }
    }
  });
});
