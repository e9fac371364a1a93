/**
 * The rollback benchmark's runs (`npm run bench:rollback` prints them, bench/rollback.ts):
 * what a rollback of a 10-replica Deployment costs, in pods started
 * and rollout waves, under `rolling` (maxSurge 1, maxSurge 100%) and `blueGreen`, within and
 * after `warmHours`. Not timed: the numbers come from the Deployments the program declares (run
 * under the mock runtime, before and after the rollback) and the Kubernetes rollout rules in
 * bench/rollout.ts.
 *
 * The `blueGreen` rows come from a real history of one stack, each update reading the outputs
 * the one before exported (as `pulumi up` reads its own stack's last outputs): a first update
 * at OLD, a promotion to NEW (the Service switches), then a rollback to OLD within warmHours;
 * and, on the same promotion, one update past warmHours (the warm slot is scaled to 0), then
 * the rollback.
 */
import {
  type DeclaredResource,
  projectConfig,
  referencedOutputs,
  runProgram,
  selfStackReference,
} from "../offline";
import { type Slot, type StoredSlots, readSlots } from "../plan/lifecycle/storedSlots";
import { changeCost, type DeclaredDeployment, type RolloutCost } from "./rollout";

const STACK = "staging";
const NOW = "20250801000000";
const OLD = "20250728000000";
const NEW = "20250731000000";
export const REPLICAS = 10;
/** The blue-green history: when each update runs (warmHours is 24, the default). */
const AT = {
  first: "20250728010000",
  promote: "20250731010000",
  /** 5 h after the switch: the slot that served OLD is still warm. */
  warmRollback: "20250731060000",
  /** 25 h after the switch: this update scales the warm slot to 0. */
  pastWindow: "20250801020000",
  coldRollback: "20250801030000",
};
/**
 * pulumi-kubernetes await/service.go processEndpointEvent (master 94977969): every Endpoints
 * event holds the Service's await for 10 s before it can succeed, so a selector switch takes
 * at least that long to be reported done.
 */
export const SERVICE_SETTLE_SECONDS = 10;

type Rollout = { maxSurge: number | string; maxUnavailable: number };

function config(active: string, workload: Record<string, unknown>, now: string) {
  // A version may not be dated after the update that declares it.
  const versions: Record<string, { value: string }> = { [OLD]: { value: "old" } };
  if (now >= NEW) versions[NEW] = { value: "new" };
  return projectConfig({
    retentionDays: 14,
    secrets: { app: { active, versions } },
    workloads: {
      api: {
        kind: "Deployment",
        image: "api:1",
        replicas: REPLICAS,
        secrets: ["app"],
        ...workload,
      },
    },
  });
}

/** The declared Deployment inputs this benchmark reads (components/workloads/slots.ts, workload.ts). */
interface DeploymentInputs {
  metadata: { name: string };
  spec: {
    replicas: number;
    minReadySeconds: number;
    strategy: { rollingUpdate: { maxSurge: number | string; maxUnavailable: number | string } };
    template: unknown;
  };
}

/** One run's Deployments, with the inputs that decide a rollout, and its Services' selectors. */
interface Declared {
  deployments: DeclaredDeployment[];
  selectors: string;
  outputs: Record<string, unknown>;
  /** The slots the run recorded (blue-green only). */
  slots?: StoredSlots;
}

function declaredOf(
  resources: readonly DeclaredResource[],
): Pick<Declared, "deployments" | "selectors"> {
  const deployments = resources
    .filter((r) => r.type === "kubernetes:apps/v1:Deployment")
    .map((r) => {
      const { metadata, spec } = r.inputs as unknown as DeploymentInputs;
      return {
        name: metadata.name,
        replicas: spec.replicas,
        maxSurge: spec.strategy.rollingUpdate.maxSurge,
        maxUnavailable: spec.strategy.rollingUpdate.maxUnavailable,
        minReadySeconds: spec.minReadySeconds,
        template: spec.template,
      };
    });
  const selectors = JSON.stringify(
    resources
      .filter((r) => r.type === "kubernetes:core/v1:Service")
      .map((r) => (r.inputs as { spec?: { selector?: unknown } }).spec?.selector),
  );
  return { deployments, selectors };
}

/** One update of the stack, reading `previous` (the outputs the update before exported). */
async function update(
  active: string,
  workload: Record<string, unknown>,
  now: string,
  previous?: Declared,
): Promise<Declared> {
  const run = await runProgram({
    stack: STACK,
    config: config(active, workload, now),
    now,
    stackOutputs: previous ? { [selfStackReference(STACK)]: previous.outputs } : {},
  });
  if (run.error) throw run.error;
  return {
    ...declaredOf(run.resources),
    outputs: referencedOutputs(run),
    slots: readSlots(run.outputs.workloads, "api"),
  };
}

export interface Row {
  strategy: string;
  cost: RolloutCost;
  /** Whether the Service's selector changes (its update is awaited: SERVICE_SETTLE_SECONDS). */
  switches: boolean;
}

const row = (strategy: string, before: Declared, after: Declared): Row => ({
  strategy,
  cost: changeCost(before.deployments, after.deployments),
  switches: before.selectors !== after.selectors,
});

/** Stops the bench when a run's slots are not the step of the history this bench measures. */
function expectSlots(step: string, d: Declared, live: Slot, warm: Slot | null, idlePods: number) {
  const idle = live === "blue" ? "green" : "blue";
  const got = d.slots && [d.slots.live, d.slots.warm?.slot ?? null, d.slots[idle].replicas];
  const want = [live, warm, idlePods];
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(
      `${step}: slots [live, warm, idle pods] ${JSON.stringify(got)}, not ${JSON.stringify(want)}`,
    );
  }
}

/** The rows, in the order printed. Needs a cluster to read (KUBECONFIG) and AWS mocked. */
export async function rollbackRows(): Promise<Row[]> {
  const out: Row[] = [];
  for (const [label, maxSurge] of [
    ["rolling, maxSurge 1", 1],
    ["rolling, maxSurge 100%", "100%"],
  ] as const) {
    const rollout: Rollout = { maxSurge, maxUnavailable: 0 };
    // Rolled forward to NEW, then back to OLD: the pod template names the other version.
    const before = await update(NEW, { rollout }, NOW);
    const after = await update(OLD, { rollout }, NOW, before);
    out.push(row(label, before, after));
  }
  const blueGreen = { strategy: "blueGreen", port: 8080 };
  const first = await update(OLD, blueGreen, AT.first);
  const promoted = await update(NEW, blueGreen, AT.promote, first);
  expectSlots("promotion", promoted, "green", "blue", REPLICAS);
  // Within warmHours: the slot that served OLD is warm; the rollback moves the Service only.
  const warm = await update(OLD, blueGreen, AT.warmRollback, promoted);
  expectSlots("rollback within warmHours", warm, "blue", "green", REPLICAS);
  out.push(row("blueGreen, warm slot", promoted, warm));
  // After warmHours: the next update scaled the warm slot to 0, its template kept (OLD is
  // still declared); the rollback scales it back up, then the Service switches.
  const cooled = await update(NEW, blueGreen, AT.pastWindow, promoted);
  expectSlots("past warmHours", cooled, "green", null, 0);
  const cold = await update(OLD, blueGreen, AT.coldRollback, cooled);
  expectSlots("rollback after warmHours", cold, "blue", "green", REPLICAS);
  out.push(row("blueGreen, after warmHours", cooled, cold));
  return out;
}

/** The table, as printed: one line per strategy. */
export function table(list: readonly Row[]): string[] {
  const cells = [
    ["strategy", "pods started", "waves", "await at least (s)"],
    ...list.map((r) => [
      r.strategy,
      String(r.cost.podsStarted),
      String(r.cost.waves),
      String(r.cost.minSeconds + (r.switches ? SERVICE_SETTLE_SECONDS : 0)),
    ]),
  ];
  const widths = cells[0].map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  return cells.map((c) =>
    c.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  "),
  );
}
