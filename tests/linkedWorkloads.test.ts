/**
 * Linking a workload the program does not own: a server-side apply patch that adds one env
 * entry per key, pointing at the active version, and the versions annotation; nothing else of
 * the workload is touched, and removing it from config gives the fields back.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { DaemonSet, Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { CronJob } from "kubernetes-models/batch/v1";
import {
  FIELD_MANAGER,
  PATCH_FIELD_MANAGER_ANNOTATION,
  patchOptions,
} from "../components/workloads/linkedWorkload";
import { checkLinked } from "../plan/workloads/linkedCheck";
import { patchTimeouts } from "../plan/workloads/patchTimeouts";
import { PROJECT_DIR, projectConfig, runProgram } from "../offline";
import { main as plan } from "../scripts/plan";
import { fakeCluster } from "../fakes/world";
import {
  billingWithHelmSecretRef,
  envFields,
  liveWorkload,
  managed,
  ownEntries,
  secretRef,
} from "../fakes/linkedObjects";
import {
  ProgramRun,
  TYPES,
  TestConfig,
  assertRefused,
  assertRefusedByMemory,
  baseConfig,
  declare,
  declareOk,
  find,
  inputsOf,
  ofType,
  secretOf,
} from "./helpers";

const PATCHES = {
  Deployment: "kubernetes:apps/v1:DeploymentPatch",
  StatefulSet: "kubernetes:apps/v1:StatefulSetPatch",
  DaemonSet: "kubernetes:apps/v1:DaemonSetPatch",
  CronJob: "kubernetes:batch/v1:CronJobPatch",
} as const;
const ACTIVE = "20250723110000";

/** The base config with a Helm-managed Deployment `billing` linked to the secret. */
function linked(extra: Record<string, unknown> = {}): TestConfig {
  const config = baseConfig();
  secretOf(config).versions[ACTIVE] = { api_token: "token-v3", db_password: "pw-v3" };
  for (const id of Object.keys(secretOf(config).versions)) {
    secretOf(config).versions[id] = { api_token: `t-${id}`, db_password: `p-${id}` };
  }
  (config.workloads as Record<string, unknown>).billing = {
    owner: "external",
    kind: "Deployment",
    namespace: "staging",
    containers: ["api", "worker"],
    secrets: ["auth-api-secrets"],
    ...extra,
  };
  return config;
}

const templateOf = (patch: any, kind: string) =>
  kind === "CronJob" ? patch.spec.jobTemplate.spec.template : patch.spec.template;

/** The cluster holds a workload `billing` of each kind, with containers `api` and `worker`. */
function loadBilling(): void {
  fakeCluster.load({
    Deployment: [liveWorkload("Deployment", "billing")],
    StatefulSet: [liveWorkload("StatefulSet", "billing")],
    DaemonSet: [liveWorkload("DaemonSet", "billing")],
    CronJob: [liveWorkload("CronJob", "billing")],
  });
}

describe("linking a workload the program does not own", () => {
  beforeEach(loadBilling);

  it("patches it by server-side apply: one env entry per key to the active version, and the versions annotation", async () => {
    const run = await declareOk(linked());
    const patch = inputsOf(find(run, PATCHES.Deployment, "billing-link"));
    assert.deepEqual(patch.metadata, {
      name: "billing",
      namespace: "staging",
      annotations: { [PATCH_FIELD_MANAGER_ANNOTATION]: FIELD_MANAGER },
    });
    const template = templateOf(patch, "Deployment");
    assert.deepEqual(template.metadata.annotations, {
      "secret-rotation/versions": `auth-api-secrets=${ACTIVE}`,
    });
    const env = [
      {
        name: "api_token",
        valueFrom: { secretKeyRef: { name: `auth-api-secrets-${ACTIVE}`, key: "api_token" } },
      },
      {
        name: "db_password",
        valueFrom: { secretKeyRef: { name: `auth-api-secrets-${ACTIVE}`, key: "db_password" } },
      },
    ];
    assert.deepEqual(template.spec.containers, [
      { name: "api", env },
      { name: "worker", env },
    ]);
    // It only links: no Deployment or Service of that name is declared.
    assert.ok(!ofType(run, TYPES.deployment).some((r) => r.name === "billing"));
    assert.ok(!ofType(run, TYPES.service).some((r) => r.name.startsWith("billing")));
    assert.deepEqual((run.outputs.workloads as any).billing, {
      kind: "Deployment",
      owner: "external",
      namespace: "staging",
      secretNames: [`auth-api-secrets-${ACTIVE}`],
      versions: { "auth-api-secrets": ACTIVE },
      canary: null,
    });
  });

  for (const kind of ["StatefulSet", "DaemonSet", "CronJob"] as const) {
    it(`links a ${kind} with a ${kind}Patch`, async () => {
      const run = await declareOk(linked({ kind }));
      const patch = inputsOf(find(run, PATCHES[kind], "billing-link"));
      assert.equal(
        templateOf(patch, kind).spec.containers[0].env[0].valueFrom.secretKeyRef.name,
        `auth-api-secrets-${ACTIVE}`,
      );
    });
  }

  it("the patch applied to a minimal workload of each kind validates against the Kubernetes schema", async () => {
    const models = { Deployment, StatefulSet, DaemonSet, CronJob } as const;
    for (const kind of Object.keys(models) as (keyof typeof models)[]) {
      const patch = inputsOf(
        find(await declareOk(linked({ kind })), PATCHES[kind], "billing-link"),
      );
      const containers = templateOf(patch, kind).spec.containers.map((c: any) => ({
        ...c,
        image: "example/app:1",
      }));
      const template = {
        metadata: { labels: { app: "billing" }, ...templateOf(patch, kind).metadata },
        spec: { containers, ...(kind === "CronJob" && { restartPolicy: "OnFailure" }) },
      };
      const selector = { matchLabels: { app: "billing" } };
      const spec =
        kind === "CronJob"
          ? { schedule: "0 * * * *", jobTemplate: { spec: { template } } }
          : { selector, template, ...(kind === "StatefulSet" && { serviceName: "billing" }) };
      const Model = models[kind] as unknown as new (data: unknown) => { validate(): void };
      new Model({
        metadata: { name: patch.metadata.name, namespace: patch.metadata.namespace },
        spec,
      }).validate();
    }
  });

  it("a rotation updates the same patch (same name) to the new version; removing the workload stops declaring it", async () => {
    const config = linked();
    const NEXT = "20250801000000";
    secretOf(config).versions[NEXT] = { api_token: "t4", db_password: "p4" };
    secretOf(config).active = NEXT;
    const run = await declareOk(config, { now: "20250802000000" });
    const patch = inputsOf(find(run, PATCHES.Deployment, "billing-link"));
    assert.equal(
      templateOf(patch, "Deployment").spec.containers[0].env[0].valueFrom.secretKeyRef.name,
      `auth-api-secrets-${NEXT}`,
    );
    const without = linked();
    delete (without.workloads as Record<string, unknown>).billing;
    assert.deepEqual(ofType(await declareOk(without), PATCHES.Deployment), []);
  });

  it("a linked workload runs the active version while a canary runs on the owned Deployments", async () => {
    const config = linked();
    secretOf(config).canary = { version: "20250715100000", percent: 50 };
    const run: ProgramRun = await declareOk(config);
    const patch = inputsOf(find(run, PATCHES.Deployment, "billing-link"));
    assert.equal(
      templateOf(patch, "Deployment").spec.containers[0].env[0].valueFrom.secretKeyRef.name,
      `auth-api-secrets-${ACTIVE}`,
    );
    assert.equal((run.outputs.workloads as any).billing.canary, null);
    assert.ok((run.outputs.workloads as any)["auth-service"].canary);
  });

  it("refuses what a patch cannot do, naming the field", async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ namespace: undefined }, "workloads.billing.namespace", "is required for owner: external"],
      [
        { namespace: "team-a" },
        "workloads.billing.namespace",
        "a pod can read only Secrets of its own namespace",
      ],
      [{ containers: [] }, "workloads.billing.containers", "is required for owner: external"],
      [{ image: "x:1" }, "workloads.billing.image", "unknown field; allowed: containers, kind"],
      [
        { kind: "ReplicaSet" },
        "workloads.billing.kind",
        "allowed: Deployment, StatefulSet, DaemonSet, CronJob",
      ],
    ];
    for (const [extra, path, fragment] of cases) {
      assertRefused(await declare(linked(extra)), path, fragment);
    }
    const owned = baseConfig();
    (owned.workloads as any)["auth-service"].kind = "StatefulSet";
    assertRefused(
      await declare(owned),
      "workloads.auth-service.kind",
      "StatefulSet and DaemonSet with owner: external",
    );
  });

  it("refuses a key that cannot name an env entry", async () => {
    const config = linked();
    for (const id of Object.keys(secretOf(config).versions))
      secretOf(config).versions[id] = { api_token: "x", "1st-token": "y" };
    assertRefused(
      await declare(config),
      "workloads.billing.secrets",
      '"1st-token", which cannot name an env entry',
    );
  });
});

/** The env entries the patch sets in a container, for the base config's two keys. */
const OLD = "20250715100000";
const KEYS = ["api_token", "db_password"];

/** Runs `config` against a cluster holding `objects` (and nothing else). */
async function against(
  objects: Parameters<typeof fakeCluster.load>[0],
  config: TestConfig = linked(),
  options: Parameters<typeof declare>[1] = {},
): Promise<ProgramRun> {
  fakeCluster.load(objects);
  return declare(config, options);
}

describe("linking a workload: its live object is checked before the patch is declared", () => {
  it("reads each linked workload on every update, even when nothing is pruned", async () => {
    const run = await against({ Deployment: [liveWorkload("Deployment", "billing")] });
    assert.equal(run.error, undefined, run.error?.message);
    assert.ok(
      fakeCluster.requests.some(
        (r) => r.path === "/apis/apps/v1/namespaces/staging/deployments/billing",
      ),
      "the program reads the Deployment it patches",
    );
    assert.equal((run.outputs.guard as any).kubernetes.status, "skipped", "nothing is pruned");
  });

  it("the cluster settings are checked for the linked read even with guard.kubernetes false", async () => {
    fakeCluster.load({ Deployment: [liveWorkload("Deployment", "billing")] });
    const config = projectConfig({ ...linked(), guard: { kubernetes: false } });
    config.config["kubernetes:renderYamlToDirectory"] = "out";
    const run = await runProgram({ stack: "staging", config, now: "20250724000000" });
    assert.match(run.error?.message ?? "", /kubernetes:renderYamlToDirectory/);
    assert.deepEqual(run.resources, [], "refused before anything is read or declared");
  });

  it("refuses a StatefulSet with a partition and a Deployment with no progress deadline: their rollouts never complete, so the patch would time out", async () => {
    const partitioned = await against(
      { StatefulSet: [liveWorkload("StatefulSet", "billing", { partition: 2 })] },
      linked({ kind: "StatefulSet" }),
    );
    assertRefusedByMemory(partitioned, "workloads.billing.kind", "partition 2");
    const noDeadline = await against({
      Deployment: [liveWorkload("Deployment", "billing", { progressDeadlineSeconds: 2147483647 })],
    });
    assertRefusedByMemory(
      noDeadline,
      "workloads.billing.kind",
      "progressDeadlineSeconds 2147483647",
    );
    const unpartitioned = await against(
      { StatefulSet: [liveWorkload("StatefulSet", "billing", { partition: 0 })] },
      linked({ kind: "StatefulSet" }),
    );
    assert.equal(unpartitioned.error, undefined, unpartitioned.error?.message);
  });

  it("refuses a workload that does not exist, before any resource", async () => {
    // A StatefulSet of that name is no Deployment: the patch would create a Deployment.
    const run = await against({ StatefulSet: [liveWorkload("StatefulSet", "billing")] });
    const message = assertRefusedByMemory(
      run,
      "workloads.billing",
      "Deployment staging/billing does not exist",
      "Deploy the workload first",
    );
    assert.match(message, /^stack "staging": /);
  });

  it("refuses a container the workload does not have, naming the ones it has", async () => {
    const run = await against({
      Deployment: [liveWorkload("Deployment", "billing", { containers: [{ name: "api" }] })],
    });
    assertRefusedByMemory(
      run,
      "workloads.billing.containers[1]",
      '"worker" is not a container of Deployment staging/billing; its containers: api',
    );
  });

  it("refuses a variable the workload sets with a literal value, naming container and variable", async () => {
    const run = await against({
      Deployment: [
        liveWorkload("Deployment", "billing", {
          containers: [
            { name: "api", env: [{ name: "api_token", value: "hard-coded" }] },
            { name: "worker" },
          ],
        }),
      ],
    });
    const message = assertRefusedByMemory(
      run,
      "workloads.billing.containers[0]",
      'container "api" of Deployment staging/billing already sets api_token with a literal value',
      "value and valueFrom are exclusive",
    );
    assert.ok(!message.includes("hard-coded"), "the literal value itself is never shown");
  });

  it("refuses a variable the workload reads from another source", async () => {
    const sources = [
      { configMapKeyRef: { name: "billing-config", key: "api_token" } },
      { fieldRef: { fieldPath: "metadata.name" } },
      { resourceFieldRef: { resource: "limits.cpu" } },
    ];
    for (const valueFrom of sources) {
      const run = await against({
        Deployment: [
          liveWorkload("Deployment", "billing", {
            containers: [
              { name: "api" },
              { name: "worker", env: [{ name: "db_password", valueFrom }] },
            ],
          }),
        ],
      });
      assertRefusedByMemory(
        run,
        "workloads.billing.containers[1]",
        `container "worker" of Deployment staging/billing already sets db_password from valueFrom.${Object.keys(valueFrom)[0]}`,
      );
    }
  });

  it("refuses a secretKeyRef another field manager set, naming the manager", async () => {
    const run = await against({ Deployment: [billingWithHelmSecretRef()] });
    assertRefusedByMemory(
      run,
      "workloads.billing.containers[0]",
      'already sets api_token from secretKeyRef billing-credentials/api_token, owned by field manager "helm"',
    );
  });

  it("reports every problem at once", async () => {
    const run = await against({
      Deployment: [
        liveWorkload("Deployment", "billing", {
          containers: [
            {
              name: "api",
              env: [
                { name: "api_token", value: "x" },
                { name: "db_password", value: "y" },
              ],
            },
          ],
        }),
      ],
    });
    const message = assertRefusedByMemory(run, "workloads.billing.containers[0]");
    assert.match(message, /has 3 problems/);
    assert.match(message, /already sets api_token with a literal value/);
    assert.match(message, /already sets db_password with a literal value/);
    assert.match(message, /"worker" is not a container/);
  });

  it("accepts the entries its own patch set at the previous rotation (field manager secret-rotation)", async () => {
    const entries = KEYS.map((k) => secretRef(k, `auth-api-secrets-${OLD}`));
    const run = await against({
      Deployment: [
        liveWorkload("Deployment", "billing", {
          containers: [
            { name: "api", env: [{ name: "LOG_LEVEL", value: "info" }, ...entries] },
            { name: "worker", env: entries },
          ],
          managedFields: [
            managed(
              "Deployment",
              "helm",
              "Update",
              envFields("Deployment", { api: ["LOG_LEVEL"] }, true),
            ),
            ownEntries("Deployment", { api: KEYS, worker: KEYS }),
          ],
        }),
      ],
    });
    assert.equal(run.error, undefined, run.error?.message);
    const patch = inputsOf(find(run, PATCHES.Deployment, "billing-link"));
    assert.equal(
      templateOf(patch, "Deployment").spec.containers[0].env[0].valueFrom.secretKeyRef.name,
      `auth-api-secrets-${ACTIVE}`,
    );
  });

  it("without managed fields, accepts only the Secret the previous update linked", async () => {
    // A kubectl file written without --show-managed-fields carries none.
    const first = await against({ Deployment: [liveWorkload("Deployment", "billing")] });
    assert.equal(first.error, undefined, first.error?.message);
    const linkedBefore = KEYS.map((k) => secretRef(k, `auth-api-secrets-${ACTIVE}`));
    const ours = await against(
      {
        Deployment: [
          liveWorkload("Deployment", "billing", {
            containers: [
              { name: "api", env: linkedBefore },
              { name: "worker", env: linkedBefore },
            ],
          }),
        ],
      },
      linked(),
      { previous: first.outputs },
    );
    assert.equal(ours.error, undefined, ours.error?.message);
    const someoneElses = await against(
      {
        Deployment: [
          liveWorkload("Deployment", "billing", {
            containers: [
              { name: "api", env: [secretRef("api_token", "vault-copy")] },
              { name: "worker" },
            ],
          }),
        ],
      },
      linked(),
      { previous: first.outputs },
    );
    assertRefusedByMemory(
      someoneElses,
      "workloads.billing.containers[0]",
      "already sets api_token from secretKeyRef vault-copy/api_token, and nothing shows that secret-rotation set it",
    );
  });

  it("refuses a DaemonSet or StatefulSet whose updateStrategy is OnDelete; RollingUpdate is linked", async () => {
    for (const kind of ["DaemonSet", "StatefulSet"] as const) {
      const refused = await against(
        { [kind]: [liveWorkload(kind, "billing", { updateStrategy: "OnDelete" })] },
        linked({ kind }),
      );
      assertRefusedByMemory(
        refused,
        "workloads.billing.kind",
        `${kind} staging/billing has updateStrategy OnDelete`,
        "Switch it to RollingUpdate",
      );
      const rolling = await against(
        { [kind]: [liveWorkload(kind, "billing", { updateStrategy: "RollingUpdate" })] },
        linked({ kind }),
      );
      assert.equal(rolling.error, undefined, rolling.error?.message);
    }
  });

  it("bounds a Deployment patch's wait by the live progress deadline plus a minute", () => {
    const live = (progressDeadlineSeconds?: number) =>
      liveWorkload("Deployment", "billing", { progressDeadlineSeconds });
    assert.deepEqual(patchTimeouts("Deployment", live(120)), { create: "180s", update: "180s" });
    assert.deepEqual(patchTimeouts("Deployment", live(600)), { create: "660s", update: "660s" });
    // No deadline (MaxInt32) or none read: the default deadline, not 68 years.
    assert.deepEqual(patchTimeouts("Deployment", live(2147483647)), {
      create: "660s",
      update: "660s",
    });
    assert.deepEqual(patchTimeouts("Deployment", undefined), { create: "660s", update: "660s" });
    // The checked outcome carries it to the patch's resource options.
    const outcome = checkLinked({
      stack: "staging",
      workloads: [
        {
          owner: "external",
          name: "billing",
          kind: "Deployment",
          namespace: "staging",
          containers: ["api"],
          secrets: ["s"],
        },
      ],
      secretKeys: new Map([["s", ["api_token"]]]),
      previousWorkloads: undefined,
      read: { status: "read", value: new Map([["Deployment staging/billing", live(90)]]) },
      preview: false,
    });
    assert.deepEqual(outcome.problems, []);
    assert.deepEqual(patchOptions({ timeouts: outcome.timeouts.billing }), {
      customTimeouts: { create: "150s", update: "150s" },
    });
    assert.deepEqual(patchOptions({}), {}, "without a bound, the provider's own wait");
  });

  it("cannot read the cluster: pulumi up refuses, pulumi preview warns and shows the patch", async () => {
    fakeCluster.load({ Deployment: [liveWorkload("Deployment", "billing")] });
    fakeCluster.broken = true;
    const up = await declare(linked());
    assertRefusedByMemory(
      up,
      "workloads.billing",
      "Deployment staging/billing could not be read from the cluster (get Deployment staging/billing: HTTP 500",
    );
    const preview = await runProgram({
      stack: "staging",
      config: projectConfig(linked()),
      now: "20250724000000",
      preview: true,
    });
    assert.equal(preview.error, undefined, preview.error?.message);
    assert.equal(ofType(preview, PATCHES.Deployment).length, 1);
    assert.ok(
      preview.logs.some((l) =>
        l.includes("warning: linked workloads not checked: the cluster could not be read"),
      ),
      preview.logs.join("\n"),
    );
  });

  it("removing a link whose workload is gone is refused with the state command to run", async () => {
    const first = await against({ Deployment: [liveWorkload("Deployment", "billing")] });
    assert.equal(first.error, undefined, first.error?.message);
    const unlinked = linked();
    delete (unlinked.workloads as Record<string, unknown>).billing;
    // The workload still exists: the patch is deleted (its fields relinquished).
    const kept = await against({ Deployment: [liveWorkload("Deployment", "billing")] }, unlinked, {
      previous: first.outputs,
    });
    assert.equal(kept.error, undefined, kept.error?.message);
    assert.deepEqual(ofType(kept, PATCHES.Deployment), []);
    // It is gone: the relinquish would create it, so the update is refused with the way out.
    const gone = await against({}, unlinked, { previous: first.outputs });
    assertRefusedByMemory(
      gone,
      "workloads.billing",
      "the previous update linked Deployment staging/billing, which no longer exists",
      "pulumi state delete 'urn:pulumi:staging::secret-rotation::secret-rotation:workloads:LinkedWorkload$kubernetes:apps/v1:DeploymentPatch::billing-link' --stack staging",
    );
  });

  it("a dev stack's linked workloads are checked too", async () => {
    const config = linked({ namespace: "dev" });
    const run = await against(
      {
        Deployment: [
          liveWorkload("Deployment", "billing", {
            namespace: "dev",
            containers: [{ name: "api" }],
          }),
        ],
      },
      config,
      { stack: "dev" },
    );
    assertRefused(
      run,
      "workloads.billing.containers[1]",
      '"worker" is not a container of Deployment dev/billing',
    );
  });
});

describe("linking a workload: the offline plan checks it against the --cluster file", () => {
  let dir: string;

  /** The committed staging stack with `billing` linked, in a folder of its own. */
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "linked-plan-"));
    const stack = YAML.parse(
      fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.staging.yaml"), "utf8"),
    );
    stack.config["secret-rotation:workloads"].billing = {
      owner: "external",
      kind: "Deployment",
      namespace: "staging",
      containers: ["api"],
      secrets: ["auth-api-secrets"],
    };
    fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), YAML.stringify(stack));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Runs the plan with a `--cluster` file listing `items` (as `kubectl get -o json` does). */
  async function planWith(items?: unknown[]): Promise<{ code: number; out: string; err: string }> {
    const args = ["node", "plan", "staging", "--dir", dir, "--at", "20261111000000"];
    if (items) {
      const file = path.join(dir, "cluster.json");
      fs.writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items }));
      args.push("--cluster", file);
    }
    const out: string[] = [];
    const err: string[] = [];
    const code = await plan(args, { out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("plans the patch when the file holds the workload, and refuses when it sets a variable itself", async () => {
    const ok = await planWith([
      liveWorkload("Deployment", "billing", { containers: [{ name: "api" }] }),
    ]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /billing +Deployment +- +auth-api-secrets-20261110100000/);
    const refused = await planWith([
      liveWorkload("Deployment", "billing", {
        containers: [{ name: "api", env: [{ name: "signing_key", value: "x" }] }],
      }),
    ]);
    assert.equal(refused.code, 1);
    assert.match(
      refused.err,
      /secret-rotation:workloads\.billing\.containers\[0\]: container "api" of Deployment staging\/billing already sets signing_key with a literal value/,
    );
  });

  it("refuses a workload the file does not hold; without a file, says it was not checked", async () => {
    const missing = await planWith([]);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /Deployment staging\/billing does not exist/);
    const unchecked = await planWith();
    assert.equal(unchecked.code, 0, unchecked.err);
    assert.match(
      unchecked.out,
      /warning: linked workloads not checked against the cluster \(offline: no --cluster FILE\): Deployment staging\/billing/,
    );
  });
});
