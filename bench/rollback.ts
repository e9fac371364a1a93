/**
 * `npm run bench:rollback`: what a rollback of a 10-replica Deployment costs, in pods started
 * and rollout waves, under `rolling` (maxSurge 1, maxSurge 100%) and `blueGreen` with a warm
 * slot. Not timed: the numbers come from the Deployments the program declares (run under the
 * mock runtime, before and after the rollback) and the Kubernetes rollout rules in
 * bench/rollout.ts.
 *
 * The `blueGreen` rows are built from the same declared pod templates, placed in the two slots
 * as issue 19's contract lays them out (`<name>-blue` / `<name>-green`), until the program
 * declares blue-green workloads itself; then they should come from its own declarations.
 */
import { projectConfig, runProgram } from "../offline";
import { FakeAws } from "../fakes/awsSecrets";
import { FakeKubeApi } from "../fakes/kubeApi";
import { changeCost, type DeclaredDeployment, type RolloutCost } from "./rollout";

const NOW = "20250801000000";
const OLD = "20250728000000";
const NEW = "20250731000000";
const REPLICAS = 10;
/**
 * pulumi-kubernetes await/service.go processEndpointEvent (master 94977969): every Endpoints
 * event holds the Service's await for 10 s before it can succeed, so a selector switch takes
 * at least that long to be reported done.
 */
const SERVICE_SETTLE_SECONDS = 10;

function config(active: string, rollout: { maxSurge: number | string; maxUnavailable: number }) {
  return projectConfig({
    retentionDays: 14,
    secrets: {
      app: { active, versions: { [OLD]: { value: "old" }, [NEW]: { value: "new" } } },
    },
    workloads: {
      api: { kind: "Deployment", image: "api:1", replicas: REPLICAS, secrets: ["app"], rollout },
    },
  });
}

/** The declared Deployment inputs this benchmark reads (components/workloads/workload.ts). */
interface DeploymentInputs {
  metadata: { name: string };
  spec: {
    replicas: number;
    minReadySeconds: number;
    strategy: { rollingUpdate: { maxSurge: number | string; maxUnavailable: number | string } };
    template: unknown;
  };
}

/** The Deployments a run declares, with the inputs that decide a rollout. */
async function declared(
  active: string,
  rollout: { maxSurge: number | string; maxUnavailable: number },
): Promise<DeclaredDeployment[]> {
  const run = await runProgram({ stack: "staging", config: config(active, rollout), now: NOW });
  if (run.error) throw run.error;
  return run.resources
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
}

interface Row {
  strategy: string;
  cost: RolloutCost;
  /** Whether the Service's selector changes (its update is awaited: SERVICE_SETTLE_SECONDS). */
  switches: boolean;
}

async function rows(): Promise<Row[]> {
  const out: Row[] = [];
  for (const [label, maxSurge] of [
    ["rolling, maxSurge 1", 1],
    ["rolling, maxSurge 100%", "100%"],
  ] as const) {
    const rollout = { maxSurge, maxUnavailable: 0 };
    // Rolled forward to NEW, then back to OLD: the pod template names the other version.
    const before = await declared(NEW, rollout);
    const after = await declared(OLD, rollout);
    out.push({ strategy: label, cost: changeCost(before, after), switches: false });
  }
  const [onOld] = await declared(OLD, { maxSurge: 1, maxUnavailable: 0 });
  const [onNew] = await declared(NEW, { maxSurge: 1, maxUnavailable: 0 });
  const slot = (d: DeclaredDeployment, name: string, replicas: number) => ({
    ...d,
    name: `api-${name}`,
    replicas,
  });
  // Within warmHours: green serves NEW, blue keeps OLD warm; the rollback moves only the
  // Service's selector, so both Deployments are declared exactly as before.
  const warm = [slot(onOld, "blue", REPLICAS), slot(onNew, "green", REPLICAS)];
  out.push({ strategy: "blueGreen, warm slot", cost: changeCost(warm, warm), switches: true });
  // After warmHours: blue was scaled to 0 with its template kept; the rollback scales it back
  // up, then the Service switches.
  const cold = [slot(onOld, "blue", 0), slot(onNew, "green", REPLICAS)];
  out.push({
    strategy: "blueGreen, after warmHours",
    cost: changeCost(cold, [slot(onOld, "blue", REPLICAS), cold[1]]),
    switches: true,
  });
  return out;
}

/** The table, as printed: one line per strategy. */
function table(list: readonly Row[]): string[] {
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

async function main(): Promise<void> {
  // The program's live reads go to an empty loopback cluster and a mocked Secrets Manager.
  const cluster = new FakeKubeApi();
  await cluster.start();
  process.env.KUBECONFIG = cluster.kubeconfig;
  process.env.AWS_REGION ??= "us-east-1";
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const aws = new FakeAws();
  aws.install();
  try {
    for (const line of table(await rows())) console.log(line);
    console.log(
      `rollback of a ${REPLICAS}-replica Deployment; a wave waits for its new pods to be ready and then minReadySeconds; ` +
        `a Service switch waits >= ${SERVICE_SETTLE_SECONDS} s for its Endpoints to settle (pulumi-kubernetes await/service.go)`,
    );
  } finally {
    aws.restore();
    await cluster.stop();
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
