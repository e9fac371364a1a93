/**
 * examples/library: another Pulumi program that imports the components as a library
 * (`secret-rotation/components`), run under the mock runtime. What it declares is what a user
 * copying the example gets: the component types and child names, immutable versioned Secrets
 * in the namespace it created, and workloads that read exactly the active version's Secret.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR, type ProgramRun, SIG_KEY, runProgram } from "../offline";
import { TYPES, inputsOf, kubeSecretValues } from "./helpers";

const EXAMPLE = path.join(PROJECT_DIR, "examples", "library");
const VALUES = { "20250101000000": "correct horse", "20250201000000": "battery staple" };

/**
 * The example reads `new pulumi.Config()`, the running project's namespace. The mock runtime
 * names the project `secret-rotation` (offline/mockRuntime.ts runProgram), where `pulumi up`
 * would use the example's own, `rotation-library-example` (its Pulumi.yaml).
 */
function exampleConfig() {
  const config = Object.fromEntries(
    Object.entries(VALUES).map(([id, value]) => [`secret-rotation:dbPassword-${id}`, value]),
  );
  return { config, secretKeys: Object.keys(config) };
}

describe("examples/library: the components used from another program", () => {
  let run: ProgramRun;
  before(async () => {
    run = await runProgram({
      stack: "staging",
      config: exampleConfig(),
      program: path.join(EXAMPLE, "index.ts"),
    });
    assert.equal(run.error, undefined, String(run.error));
  });

  const find = (type: string, name: string) => {
    const found = run.resources.find((r) => r.type === type && r.name === name);
    assert.ok(found, `${type} ${name} is declared`);
    return found;
  };

  it("is a project of its own, and the package's exports resolve the components", () => {
    assert.match(
      fs.readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8"),
      /^name: rotation-library-example$/m,
    );
    const own = JSON.parse(fs.readFileSync(path.join(EXAMPLE, "package.json"), "utf8"));
    assert.deepEqual(
      [own.main, own.dependencies],
      ["index.ts", { "secret-rotation": "file:../.." }],
    );
    // Node's own resolution (a child process: not the test runner's TypeScript loader, which
    // also reads tsconfig.json `paths`), through the package's `exports`.
    const resolve = (specifier: string) =>
      execFileSync(
        process.execPath,
        ["-e", `process.stdout.write(require.resolve(${JSON.stringify(specifier)}))`],
        { cwd: PROJECT_DIR, encoding: "utf8" },
      );
    assert.equal(
      resolve("secret-rotation/components"),
      path.join(PROJECT_DIR, "components", "index.ts"),
    );
    // Pulumi runs `exports["."]` when the package has one (pulumi v3.248.0
    // sdk/nodejs/cmd/run/run.ts run): the project's own program stays index.ts.
    assert.equal(resolve("secret-rotation"), path.join(PROJECT_DIR, "index.ts"));
  });

  it("declares the components with their tokens and every child named after its component", () => {
    const declared = run.resources.map((r) => `${r.type}::${r.name}`).sort();
    assert.deepEqual(declared, [
      "aws:cloudwatch/metricAlarm:MetricAlarm::payments-db-alarm",
      "aws:kms/key:Key::payments-secrets",
      "aws:secretsmanager/secret:Secret::payments-db-20250101000000-aws",
      "aws:secretsmanager/secret:Secret::payments-db-20250201000000-aws",
      "aws:secretsmanager/secretVersion:SecretVersion::payments-db-20250101000000-aws-value",
      "aws:secretsmanager/secretVersion:SecretVersion::payments-db-20250201000000-aws-value",
      "aws:sns/topic:Topic::payments-oncall",
      "kubernetes:apps/v1:Deployment::payments-api-deployment",
      "kubernetes:batch/v1:CronJob::payments-report",
      "kubernetes:core/v1:Namespace::payments",
      "kubernetes:core/v1:Secret::payments-db-20250101000000-k8s",
      "kubernetes:core/v1:Secret::payments-db-20250201000000-k8s",
      "kubernetes:core/v1:Service::payments-api-service",
      "random:index/randomPassword:RandomPassword::payments-db-20250101000000-SESSION_KEY-generated",
      "random:index/randomPassword:RandomPassword::payments-db-20250201000000-SESSION_KEY-generated",
      "secret-rotation:monitoring:RotationAlarm::payments-db",
      "secret-rotation:secrets:RotatedSecret::payments-db",
      "secret-rotation:workloads:Workload::payments-api",
    ]);
    for (const component of run.resources.filter((r) => !r.custom)) {
      assert.deepEqual(component.inputs, {}, `${component.name} keeps no input in its state`);
    }
  });

  it("writes each version as an immutable Secret in the namespace the program created", () => {
    for (const [id, value] of Object.entries(VALUES)) {
      const secret = find(TYPES.kubeSecret, `payments-db-${id}-k8s`);
      const inputs = inputsOf(secret);
      assert.equal(inputs.metadata.name, `payments-db-${id}`);
      assert.equal(inputs.metadata.namespace, "payments");
      assert.equal(inputs.immutable, true);
      assert.equal(inputs.metadata.labels["secret-rotation/version"], id);
      assert.equal(kubeSecretValues(secret).DB_PASSWORD, value);
      assert.equal(kubeSecretValues(secret).SESSION_KEY.length > 0, true);
      // The data reaches the engine as a secret.
      assert.ok(SIG_KEY in (secret.inputs.data as object));
      const aws = inputsOf(find(TYPES.awsSecret, `payments-db-${id}-aws`));
      assert.equal(aws.name, `staging/payments-db-${id}`);
    }
  });

  it("points both workloads at the active version's Secret, and exports key names only", () => {
    const deployment = inputsOf(find(TYPES.deployment, "payments-api-deployment"));
    const container = deployment.spec.template.spec.containers[0];
    assert.deepEqual(container.envFrom, [{ secretRef: { name: "payments-db-20250201000000" } }]);
    assert.equal(deployment.metadata.namespace, "payments");
    const cronJob = inputsOf(find(TYPES.cronJob, "payments-report"));
    const report = cronJob.spec.jobTemplate.spec.template.spec.containers[0];
    assert.deepEqual(report.envFrom, [{ secretRef: { name: "payments-db-20250201000000" } }]);
    assert.deepEqual(report.env, [
      {
        name: "REPORT_DB_PASSWORD",
        valueFrom: { secretKeyRef: { name: "payments-db-20250201000000", key: "DB_PASSWORD" } },
      },
    ]);
    assert.deepEqual(run.outputs, {
      activeSecret: "payments-db-20250201000000",
      deployment: "payments-api",
      keys: ["DB_PASSWORD", "SESSION_KEY"],
    });
    const alarm = inputsOf(find(TYPES.alarm, "payments-db-alarm"));
    assert.match(alarm.alarmDescription, /set ACTIVE to 20250101000000/);
    const clear = JSON.stringify([run.outputs, run.logs, alarm]);
    for (const value of Object.values(VALUES)) assert.ok(!clear.includes(value));
  });
});
