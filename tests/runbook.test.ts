/**
 * The rotation runbook, step by step, as `pulumi up` would see it: each step's declared state
 * compared with the one before. Create ahead, activate, roll back, clean up.
 */
import { strict as assert } from "assert";
import {
  ProgramRun,
  TYPES,
  TestConfig,
  baseConfig,
  declareOk,
  diffStates,
  find,
  inputsOf,
  kubeSecretValues,
  secretOf,
} from "./helpers";
import { referencedOutputs } from "../offline";

const NEW = "20250801090000";
const ACTIVE = "20250723110000";
const PREVIOUS = "20250715100000";
const OLDEST = "20250701090000";

/** A fresh base config with a step applied. */
function withStep(...steps: Array<(c: TestConfig) => void>): TestConfig {
  const config = baseConfig();
  for (const step of steps) step(config);
  return config;
}
const createAhead = (c: TestConfig) => (secretOf(c).versions[NEW] = { api_token: "token-v4" });
const activateNew = (c: TestConfig) => (secretOf(c).active = NEW);
const rollBack = (c: TestConfig) => (secretOf(c).active = ACTIVE);

const versionResources = (version: string) => [
  `${TYPES.awsSecret}::auth-api-secrets-${version}-aws`,
  `${TYPES.awsValue}::auth-api-secrets-${version}-aws-value`,
  `${TYPES.kubeSecret}::auth-api-secrets-${version}-k8s`,
];
const workloadResources = [
  `${TYPES.deployment}::auth-service-deployment`,
  `${TYPES.cronJob}::token-refresh-cronjob`,
];
const sorted = (items: string[]) => [...items].sort();

describe("the rotation runbook", () => {
  const now = "20250801100000";
  let start: ProgramRun;
  let ahead: ProgramRun;
  let activated: ProgramRun;

  before(async () => {
    start = await declareOk(baseConfig(), { now });
    ahead = await declareOk(withStep(createAhead), { now });
    activated = await declareOk(withStep(createAhead, activateNew), { now });
  });

  it("1. create ahead: adds exactly one AWS secret, one SecretVersion and one Kubernetes Secret, and changes nothing else", () => {
    assert.deepEqual(diffStates(start, ahead), {
      added: sorted(versionResources(NEW)),
      removed: [],
      changed: [],
    });
    assert.deepEqual(
      kubeSecretValues(find(ahead, TYPES.kubeSecret, `auth-api-secrets-${NEW}-k8s`)),
      {
        api_token: "token-v4",
      },
    );
    const state = (run: ProgramRun, v: string) =>
      (run.outputs.secrets as any)["auth-api-secrets"].versions.find((x: any) => x.version === v)
        .state;
    assert.equal(state(ahead, NEW), "pending");
    assert.equal(state(ahead, ACTIVE), "active");
  });

  it("1. create ahead never deletes the rollback target, however old (issue 17)", async () => {
    // Years later, PREVIOUS is long past its retention; only being the rollback target keeps it.
    const later = "20300101000000";
    const withNew = (c: TestConfig) =>
      (secretOf(c).versions["20291231000000"] = { api_token: "t" });
    const before = await declareOk(baseConfig(), { now: later });
    const after = await declareOk(withStep(withNew), {
      now: later,
      previous: referencedOutputs(before),
    });
    assert.deepEqual(diffStates(before, after), {
      added: sorted(versionResources("20291231000000")),
      removed: [],
      changed: [],
    });
    const state = (after.outputs.secrets as any)["auth-api-secrets"].versions.find(
      (x: any) => x.version === PREVIOUS,
    ).state;
    assert.equal(state, "previous");
  });

  it("2. activate: changes only the linked workloads, which now reference the new version", () => {
    assert.deepEqual(diffStates(ahead, activated), {
      added: [],
      removed: [],
      changed: sorted(workloadResources),
    });
    const deployment = inputsOf(find(activated, TYPES.deployment, "auth-service-deployment"));
    assert.deepEqual(deployment.spec.template.spec.containers[0].envFrom, [
      { secretRef: { name: `auth-api-secrets-${NEW}` } },
    ]);
    assert.equal(
      deployment.spec.template.metadata.annotations["secret-rotation/versions"],
      `auth-api-secrets=${NEW}`,
    );
    const outputs = (activated.outputs.secrets as any)["auth-api-secrets"];
    assert.equal(outputs.activeVersion, NEW);
    assert.equal(outputs.previousVersion, ACTIVE);
  });

  it("3. roll back: one config line restores the earlier declared state exactly", async () => {
    const rolledBack = await declareOk(withStep(createAhead, activateNew, rollBack), { now });
    assert.deepEqual(diffStates(ahead, rolledBack), { added: [], removed: [], changed: [] });
    assert.deepEqual(diffStates(activated, rolledBack).changed, sorted(workloadResources));
    const state = (rolledBack.outputs.secrets as any)["auth-api-secrets"].versions.at(-1);
    assert.deepEqual(
      [state.version, state.state],
      [NEW, "pending"],
      "the new version stays, pending",
    );
  });

  it("4. clean up: once the successor is older than the retention, exactly the expired version's resources go", async () => {
    // OLDEST's successor (PREVIOUS) was created 2025-07-15 10:00; 14 days later it expires.
    const beforeExpiry = await declareOk(baseConfig(), { now: "20250729095959" });
    const afterExpiry = await declareOk(baseConfig(), { now: "20250729100000" });
    assert.deepEqual(diffStates(beforeExpiry, afterExpiry), {
      added: [],
      removed: sorted(versionResources(OLDEST)),
      changed: [],
    });
  });

  it("4b. pruning removes a version's generators with it", async () => {
    const generate = (c: TestConfig) => {
      secretOf(c).generate = { signing_key: { length: 64 } };
    };
    const beforeExpiry = await declareOk(withStep(generate), { now: "20250729095959" });
    const afterExpiry = await declareOk(withStep(generate), { now: "20250729100000" });
    assert.deepEqual(
      diffStates(beforeExpiry, afterExpiry).removed,
      sorted([
        ...versionResources(OLDEST),
        `${TYPES.generator}::auth-api-secrets-${OLDEST}-signing_key-generated`,
      ]),
    );
  });

  it("never prunes the rollback target, however old", async () => {
    const run = await declareOk(baseConfig(), { now: "20300101000000" });
    assert.deepEqual(
      run.resources.filter((r) => r.type === TYPES.kubeSecret).map((r) => r.name),
      [`auth-api-secrets-${PREVIOUS}-k8s`, `auth-api-secrets-${ACTIVE}-k8s`],
    );
  });

  it("keeps a pinned version past its retention", async () => {
    const run = await declareOk(
      withStep((c) => (secretOf(c).keep = [OLDEST])),
      { now: "20300101000000" },
    );
    assert.ok(run.resources.some((r) => r.name === `auth-api-secrets-${OLDEST}-k8s`));
    const oldest = (run.outputs.secrets as any)["auth-api-secrets"].versions[0];
    assert.equal(oldest.state, "pinned");
  });

  it("is deterministic: the same config and clock declare the same state", async () => {
    const again = await declareOk(baseConfig(), { now });
    assert.deepEqual(diffStates(start, again), { added: [], removed: [], changed: [] });
    assert.deepEqual(
      again.resources.map((r) => r.name),
      start.resources.map((r) => r.name),
    );
  });
});
