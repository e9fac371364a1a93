/**
 * The permissions cover what the program does: the actions are built from the AWS resource
 * types the program declares (run offline) and from the requests the guard's real clients send
 * (to the loopback Secrets Manager and the fake API server), and each one is checked against
 * the computed policy and RBAC on the real names. The deployer's policy grants nothing beyond
 * that list.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LoopbackAws } from "../fakes/awsLoopback";
import { fakeAws, fakeCluster } from "../fakes/world";
import { projectConfig } from "../offline";
import {
  type KubeObject,
  type PolicyDocument,
  RESOURCE_ACTIONS,
  permissionSpec,
  permissionsOf,
} from "../plan/permissions";
import { liveReader } from "../reads/live";
import { ES, esoConfig } from "./externalSecretsHelpers";
import { type TestConfig, baseConfig, declareOk, inputsOf, secretOf } from "./helpers";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const NOW = "20250801000000";

/** IAM's own matching: `*` any run of characters, `?` one (conditions are not evaluated). */
const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
function allows(policy: PolicyDocument | undefined, action: string, resource: string): boolean {
  return (policy?.Statement ?? []).some(
    (s) => s.Action.includes(action) && [s.Resource].flat().some((r) => glob(r).test(resource)),
  );
}

/** A config with every AWS resource type: a monitored secret under a customer KMS key. */
function fullConfig(base: TestConfig = baseConfig()): TestConfig {
  secretOf(base).monitor = {
    namespace: "AWS/ApplicationELB",
    metricName: "HTTPCode_Target_5XX_Count",
    statistic: "Sum",
    threshold: 25,
    period: 60,
    evaluationPeriods: 5,
    alarmActions: [],
  };
  return { ...base, awsKmsKeyId: KEY, guard: { awsReadWithinDays: 7, namespaces: ["team-a"] } };
}

/** Each AWS resource the program declares, with the calls its provider makes and the ARN. */
async function neededCalls(config: TestConfig): Promise<{ action: string; arn: string }[]> {
  const run = await declareOk(config, { now: NOW });
  const aws = run.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
  assert.ok(aws.length > 0);
  const secretName = (name: string) =>
    inputsOf(aws.find((r) => r.name === name && r.type.endsWith(":Secret"))!).name as string;
  return aws.flatMap((r) => {
    const entry = RESOURCE_ACTIONS.find((e) => e.type === r.type);
    assert.ok(entry, `the program declares ${r.type}: add the calls its provider makes`);
    const inputs = inputsOf(r);
    // Secrets Manager appends six random characters to a secret's ARN.
    const arn =
      entry.scope === "alarm"
        ? `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${inputs.name}`
        : `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${
            r.type.endsWith(":Secret") ? inputs.name : secretName(r.name.replace(/-value$/, ""))
          }-AbCdEf`;
    const kms =
      r.type.endsWith(":Secret") && inputs.kmsKeyId ? ["kms:GenerateDataKey", "kms:Decrypt"] : [];
    return [
      ...entry.actions.map((action) => ({ action, arn })),
      ...kms.map((action) => ({ action, arn: inputs.kmsKeyId as string })),
    ];
  });
}

function permissionsFor(config: TestConfig) {
  const flat = { ...projectConfig(config).config, "aws:region": REGION };
  const spec = permissionSpec("staging", flat, new Date("2025-08-01T00:00:00Z"));
  return permissionsOf(spec, flat, { account: ACCOUNT });
}

describe("permissions cover what the program does", () => {
  const loopback = new LoopbackAws();
  let home: string;
  before(async () => {
    await loopback.start();
    // The process-wide aws-sdk-client-mock would answer before a request left the client.
    fakeAws.restore();
  });
  after(async () => {
    fakeAws.install();
    await loopback.stop();
  });
  beforeEach(() => (home = fs.mkdtempSync(path.join(os.tmpdir(), "perms-aws-"))));
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it("every call the declared AWS resources make is allowed on their own names, and nothing else is granted", async () => {
    const config = fullConfig();
    const p = permissionsFor(config);
    const needed = await neededCalls(config);
    // The guard's AWS read, through the real SDK client: what reached Secrets Manager.
    const read = await liveReader({
      cluster: {},
      aws: {
        accessKey: "AKID",
        secretKey: "s",
        region: REGION,
        endpoints: { secretsmanager: loopback.url },
      },
      env: {},
      home,
    }).aws({ prefix: "staging/", names: new Set(["staging/auth-api-secrets-20250723110000"]) });
    assert.equal(read.status, "read");
    const guardCalls = loopback.requests.map((r) => ({
      action: `${r.service}:${r.action}`,
      arn: "*",
    }));
    assert.deepEqual([...new Set(guardCalls.map((c) => c.action))], ["secretsmanager:ListSecrets"]);
    for (const call of [...needed, ...guardCalls]) {
      assert.ok(allows(p.deployerPolicy, call.action, call.arn), `${call.action} on ${call.arn}`);
    }
    const granted = new Set(p.deployerPolicy.Statement.flatMap((s) => s.Action));
    const used = new Set([...needed, ...guardCalls].map((c) => c.action));
    assert.deepEqual(
      [...granted].filter((a) => !used.has(a)),
      [],
      "granted but never called",
    );
    // Nothing outside the environment: production's secret and alarm names are refused.
    assert.ok(
      !allows(
        p.deployerPolicy,
        "secretsmanager:GetSecretValue",
        needed[0].arn.replace("staging/", "production/"),
      ),
    );
    assert.ok(
      !allows(
        p.deployerPolicy,
        "cloudwatch:PutMetricAlarm",
        `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:other`,
      ),
    );
  });

  it("External Secrets: the operator may read every secret an ExternalSecret extracts, and write none", async () => {
    const config = fullConfig(esoConfig());
    const p = permissionsFor(config);
    const run = await declareOk(config, { now: NOW });
    const keys = run.resources
      .filter((r) => r.type === ES)
      .flatMap((r) =>
        (inputsOf(r).spec.dataFrom as { extract: { key: string } }[]).map((d) => d.extract.key),
      );
    assert.ok(keys.length > 0);
    for (const key of keys) {
      const arn = `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${key}-AbCdEf`;
      assert.ok(allows(p.externalSecretsPolicy, "secretsmanager:GetSecretValue", arn), arn);
      assert.ok(!allows(p.externalSecretsPolicy, "secretsmanager:PutSecretValue", arn));
    }
    assert.ok(allows(p.externalSecretsPolicy, "kms:Decrypt", KEY));
  });

  /** Whether `rbac` lets the subject make `request` (a path the fake API server recorded). */
  function rbacAllows(rbac: KubeObject[], requestPath: string): boolean {
    const m = /^\/apis?(?:\/([^/]+))?\/v1(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/.exec(
      requestPath,
    );
    assert.ok(m, requestPath);
    const [, group = "", namespace, resource, name] = m;
    const verb = name ? "get" : "list";
    const role = rbac.find((o) => o.kind === "ClusterRole");
    const rules = (role?.rules ?? []) as {
      apiGroups: string[];
      resources: string[];
      verbs: string[];
    }[];
    const ruled = rules.some(
      (r) =>
        r.apiGroups.includes(group) && r.resources.includes(resource) && r.verbs.includes(verb),
    );
    const bound = rbac.some(
      (o) =>
        o.kind === "ClusterRoleBinding" ||
        (o.kind === "RoleBinding" &&
          namespace !== undefined &&
          (o.metadata as { namespace: string }).namespace === namespace),
    );
    return ruled && bound;
  }

  it("every request the guard's cluster reads make is allowed by its RBAC, cluster-wide or per namespace", async () => {
    const reader = liveReader({ cluster: { kubeconfig: fakeCluster.kubeconfig }, aws: {} });
    const own = { namespace: "staging", names: new Set<string>() };
    const cases: { config: TestConfig; namespaces?: string[] }[] = [
      { config: baseConfig() },
      { config: fullConfig(), namespaces: ["staging", "team-a"] },
    ];
    for (const { config, namespaces } of cases) {
      fakeCluster.reset();
      const { guardRbac } = permissionsFor(config);
      const read = await reader.cluster({
        names: new Set(["x"]),
        own,
        ...(namespaces && { namespaces }),
      });
      assert.equal(read.status, "read");
      const linked = await reader.linked({
        targets: [{ kind: "StatefulSet", namespace: "staging", name: "db" }],
      });
      assert.equal(linked.status, "read");
      const paths = fakeCluster.requests.map((r) => r.path);
      assert.ok(paths.length >= 8);
      // The linked GET is allowed only when the config links a workload of that kind.
      const lists = paths.filter((p) => !p.endsWith("/db"));
      for (const p of lists) assert.ok(rbacAllows(guardRbac, p), `list ${p}`);
      assert.ok(
        !rbacAllows(
          guardRbac,
          paths.find((p) => p.endsWith("/db"))!,
        ),
        "no link, no get",
      );
      assert.ok(!rbacAllows(guardRbac, "/api/v1/namespaces/staging/secrets"), "never Secrets");
    }
    const linkedConfig = baseConfig();
    (linkedConfig.workloads as Record<string, unknown>).db = {
      owner: "external",
      kind: "StatefulSet",
      namespace: "staging",
      containers: ["db"],
      secrets: ["auth-api-secrets"],
    };
    assert.ok(
      rbacAllows(
        permissionsFor(linkedConfig).guardRbac,
        "/apis/apps/v1/namespaces/staging/statefulsets/db",
      ),
    );
  });
});
