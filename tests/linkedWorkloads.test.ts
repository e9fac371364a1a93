/**
 * Linking a workload the program does not own: a server-side apply patch that adds one env
 * entry per key, pointing at the active version, and the versions annotation; nothing else of
 * the workload is touched, and removing it from config gives the fields back. The check of the
 * live object before the patch is declared is in linkedWorkloadsCheck.test.ts and
 * linkedWorkloadsCheckHistory.test.ts.
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
} from "../components/workloads/linkedWorkload";
import { PROJECT_DIR } from "../offline";
import { main as plan } from "../scripts/plan";
import { liveWorkload } from "../fakes/linkedObjects";
import {
  ProgramRun,
  TYPES,
  assertRefused,
  baseConfig,
  declare,
  declareOk,
  find,
  inputsOf,
  ofType,
  secretOf,
} from "./helpers";
import { PATCHES, ACTIVE, linked, templateOf, loadBilling } from "./linkedHelpers";

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
