/**
 * The rotation checklist on a `strategy: blueGreen` workload (issue 19, docs/blue-green.md),
 * one stack history where each update reads the outputs the one before exported: first
 * update, create ahead, promote, roll back within `warmHours`, wait past it, clean up. Each
 * step is compared with the declared state before it, as `pulumi up` would diff it.
 */
import { strict as assert } from "assert";
import { switchOrder } from "../components/workloads/slots";
import {
  type ProgramRun,
  TYPES,
  type TestConfig,
  baseConfig,
  declaredVersions,
  diffStates,
  find,
  inputsOf,
  runHistory,
  secretOf,
  workloadOf,
} from "./helpers";

const PREVIOUS = "20250715100000";
const ACTIVE = "20250723110000";
const NEW = "20250801090000";
const SVC = `${TYPES.service}::auth-service-service`;
const BLUE = `${TYPES.deployment}::auth-service-blue`;
const GREEN = `${TYPES.deployment}::auth-service-green`;
const versionResources = (version: string) => [
  `${TYPES.awsSecret}::auth-api-secrets-${version}-aws`,
  `${TYPES.awsValue}::auth-api-secrets-${version}-aws-value`,
  `${TYPES.kubeSecret}::auth-api-secrets-${version}-k8s`,
];

/**
 * The staging base config with auth-service as a blue-green workload (and neither the CronJob
 * nor the oldest version, so each diff shows the slots alone), and `steps` applied.
 */
function blueGreen(...steps: ((c: TestConfig) => void)[]): TestConfig {
  const config = baseConfig();
  delete (config.workloads as Record<string, unknown>)["token-refresh"];
  delete secretOf(config).versions["20250701090000"];
  Object.assign(workloadOf(config, "auth-service"), { strategy: "blueGreen", warmHours: 24 });
  for (const step of steps) step(config);
  return config;
}
const createAhead = (c: TestConfig) => (secretOf(c).versions[NEW] = { api_token: "token-v4" });
const activate = (version: string) => (c: TestConfig) => (secretOf(c).active = version);

const slotOf = (run: ProgramRun, slot: "blue" | "green") => {
  const spec = inputsOf(find(run, TYPES.deployment, `auth-service-${slot}`)).spec;
  return {
    replicas: spec.replicas as number,
    runs: spec.template.metadata.annotations["secret-rotation/versions"] as string,
    secretRef: spec.template.spec.containers[0].envFrom[0].secretRef.name as string,
  };
};
const selector = (run: ProgramRun) =>
  inputsOf(find(run, TYPES.service, "auth-service-service")).spec.selector;
const slotsOutput = (run: ProgramRun) => (run.outputs.workloads as any)["auth-service"].slots;

describe("the rotation checklist on a blueGreen workload (docs/blue-green.md)", () => {
  let runs: ProgramRun[];
  const [first, ahead, promoted, rolledBack, waited, cleaned] = [0, 1, 2, 3, 4, 5];
  before(async () => {
    runs = await runHistory([
      { config: blueGreen(), now: "20250724000000" },
      { config: blueGreen(createAhead), now: "20250801100000" },
      { config: blueGreen(createAhead, activate(NEW)), now: "20250801110000" },
      { config: blueGreen(createAhead), now: "20250801120000" },
      { config: blueGreen(createAhead), now: "20250802130000" },
      { config: blueGreen(), now: "20250803000000" },
    ]);
    for (const run of runs) assert.equal(run.error, undefined, run.error?.message);
    assert.equal(runs.length, 6);
  });

  it("first update: blue runs the active version at replicas, green runs no pods, the Service selects blue", () => {
    const run = runs[first];
    assert.deepEqual(slotOf(run, "blue"), {
      replicas: 3,
      runs: `auth-api-secrets=${ACTIVE}`,
      secretRef: `auth-api-secrets-${ACTIVE}`,
    });
    assert.equal(slotOf(run, "green").replicas, 0);
    assert.deepEqual(selector(run), {
      "app.kubernetes.io/name": "auth-service",
      "secret-rotation/slot": "blue",
    });
    for (const slot of ["blue", "green"] as const) {
      const d = inputsOf(find(run, TYPES.deployment, `auth-service-${slot}`));
      assert.equal(d.metadata.name, `auth-service-${slot}`);
      assert.equal(d.spec.selector.matchLabels["secret-rotation/slot"], slot);
      assert.equal(d.spec.template.metadata.labels["secret-rotation/slot"], slot);
    }
    assert.equal(
      inputsOf(find(run, TYPES.service, "auth-service-service")).metadata.name,
      "auth-service",
    );
    assert.equal(slotsOutput(run).live, "blue");
    assert.equal(slotsOutput(run).warm, null);
  });

  it("create ahead: adds the version's resources and changes neither slot nor the Service", () => {
    assert.deepEqual(diffStates(runs[first], runs[ahead]), {
      added: versionResources(NEW).sort(),
      removed: [],
      changed: [],
    });
  });

  it("promote: green is rolled to the new version at replicas, blue is left exactly as it was, the Service switches to green", () => {
    const diff = diffStates(runs[ahead], runs[promoted]);
    assert.deepEqual(diff.added, []);
    assert.deepEqual(diff.removed, []);
    assert.ok(!diff.changed.includes(BLUE), "the slot that served is not touched");
    assert.ok(diff.changed.includes(GREEN) && diff.changed.includes(SVC));
    assert.deepEqual(slotOf(runs[promoted], "green"), {
      replicas: 3,
      runs: `auth-api-secrets=${NEW}`,
      secretRef: `auth-api-secrets-${NEW}`,
    });
    assert.equal(selector(runs[promoted])["secret-rotation/slot"], "green");
    assert.ok(
      runs[promoted].logs.includes(
        `info: auth-service: green is brought to auth-api-secrets ${NEW} at 3 replicas and awaited, then the Service switches to it from blue; blue stays warm on auth-api-secrets ${ACTIVE} until 2025-08-02T11:00:00.000Z`,
      ),
      runs[promoted].logs.join("\n"),
    );
    // The Service waits for green's Deployment; blue waits for the Service (pure order).
    assert.deepEqual(switchOrder("green").waits, {
      green: [],
      service: ["green"],
      blue: ["service"],
    });
    const out = slotsOutput(runs[promoted]);
    assert.equal(out.live, "green");
    assert.equal(out.switchedAt, "2025-08-01T11:00:00.000Z");
    assert.deepEqual(out.warm, {
      slot: "blue",
      versions: { "auth-api-secrets": ACTIVE },
      until: "2025-08-02T11:00:00.000Z",
    });
  });

  it("roll back within warmHours: only the Service's selector changes, no Deployment's inputs change", () => {
    assert.deepEqual(diffStates(runs[promoted], runs[rolledBack]), {
      added: [],
      removed: [],
      changed: [SVC],
    });
    assert.equal(selector(runs[rolledBack])["secret-rotation/slot"], "blue");
    assert.ok(
      runs[rolledBack].logs.includes(
        `info: auth-service: instant switch to blue, which kept its pods on auth-api-secrets ${ACTIVE}: its pod template does not change; green stays warm on auth-api-secrets ${NEW} until 2025-08-02T12:00:00.000Z`,
      ),
      runs[rolledBack].logs.join("\n"),
    );
    const out = slotsOutput(runs[rolledBack]);
    assert.equal(out.live, "blue");
    assert.deepEqual(out.warm, {
      slot: "green",
      versions: { "auth-api-secrets": NEW },
      until: "2025-08-02T12:00:00.000Z",
    });
  });

  it("past warmHours: the warm slot is scaled to 0 (its template kept: no rollout), nothing else changes", () => {
    assert.deepEqual(diffStates(runs[rolledBack], runs[waited]), {
      added: [],
      removed: [],
      changed: [GREEN],
    });
    const before = slotOf(runs[rolledBack], "green");
    assert.deepEqual(slotOf(runs[waited], "green"), { ...before, replicas: 0 });
    assert.equal(slotsOutput(runs[waited]).warm, null);
  });

  it("clean up: removing the version rolled back from deletes its resources, and the idle slot that ran it moves onto the live run at 0 pods", () => {
    assert.deepEqual(diffStates(runs[waited], runs[cleaned]), {
      added: [],
      removed: versionResources(NEW).sort(),
      changed: [GREEN],
    });
    assert.deepEqual(slotOf(runs[cleaned], "green"), {
      replicas: 0,
      runs: `auth-api-secrets=${ACTIVE}`,
      secretRef: `auth-api-secrets-${ACTIVE}`,
    });
  });
});

describe("blueGreen: a warm slot holds its version; past the window it ages as any other", () => {
  it("within warmHours a version past its retention is kept, naming the warm slot; after, it is pruned and the idle slot moves off it in the same update", async () => {
    // PREVIOUS serves; a promotion straight to NEW leaves PREVIOUS warm for 30 days, while its
    // retention (14 days from the promotion) ends before.
    const long = (c: TestConfig) => (workloadOf(c, "auth-service").warmHours = 720);
    const runs = await runHistory([
      { config: blueGreen(long, activate(PREVIOUS)), now: "20250724000000" },
      { config: blueGreen(long, createAhead, activate(NEW)), now: "20250801110000" },
      { config: blueGreen(long, createAhead, activate(NEW)), now: "20250820000000" },
      { config: blueGreen(long, createAhead, activate(NEW)), now: "20250901120000" },
    ]);
    for (const run of runs) assert.equal(run.error, undefined, run.error?.message);
    const [, promoted, within, after] = runs;
    assert.deepEqual(slotsOutput(promoted).warm, {
      slot: "blue",
      versions: { "auth-api-secrets": PREVIOUS },
      until: "2025-08-31T11:00:00.000Z",
    });
    const report = (run: ProgramRun) =>
      (run.outputs.secrets as any)["auth-api-secrets"].versions.find(
        (v: { version: string }) => v.version === PREVIOUS,
      );
    assert.equal(report(within).state, "referenced");
    assert.deepEqual(report(within).referencedBy, [
      "Deployment staging/auth-service-blue (warm slot until 2025-08-31T11:00:00.000Z)",
    ]);
    assert.equal(slotOf(within, "blue").replicas, 3);

    assert.equal(report(after).state, "expired"); // this update deletes it
    assert.ok(!declaredVersions(after).includes(PREVIOUS));
    assert.deepEqual(slotOf(after, "blue"), {
      replicas: 0,
      runs: `auth-api-secrets=${NEW}`,
      secretRef: `auth-api-secrets-${NEW}`,
    });
    assert.equal(slotsOutput(after).warm, null);
  });
});
