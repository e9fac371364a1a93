/**
 * The real-engine suite: the committed runbook, driven through Pulumi's Automation API
 * (`LocalWorkspace`, a file backend and a passphrase) against a kind cluster and LocalStack,
 * as `.github/workflows/integration.yml` runs it. It needs the Pulumi CLI, a Kubernetes
 * context and a LocalStack endpoint; without them (as on a machine with no container runtime)
 * every test reports itself skipped with the reason, and nothing counts as passed.
 *
 * Run it with `npm run test:integration` where `pulumi`, `kubectl` (kind) and LocalStack
 * (image localstack/localstack:4.14.0: later images need an auth token) are up, and
 * `SECRET_ROTATION_INTEGRATION=1` is set.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";

const ROOT = path.resolve(__dirname, "..", "..");
const LOCALSTACK = process.env.LOCALSTACK_ENDPOINT ?? "http://localhost:4566";
const NAMESPACE = "secret-rotation-it";

/** Why the suite cannot run here, or undefined when it can. */
function missingPrerequisite(): string | undefined {
  if (process.env.SECRET_ROTATION_INTEGRATION !== "1") {
    return "SECRET_ROTATION_INTEGRATION is not 1 (set it where the Pulumi CLI, kind and LocalStack run)";
  }
  for (const [tool, args] of [
    ["pulumi", ["version"]],
    ["kubectl", ["version", "--client"]],
  ] as const) {
    try {
      execFileSync(tool, [...args], { stdio: "ignore" });
    } catch {
      return `${tool} is not on PATH`;
    }
  }
  try {
    execFileSync("kubectl", ["get", "namespaces"], { stdio: "ignore", timeout: 20_000 });
  } catch {
    return "no reachable Kubernetes cluster in the current kubeconfig context";
  }
  return undefined;
}

/** A version id for a moment (UTC, whole seconds). */
const idAt = (date: Date) => date.toISOString().replace(/[-:T]/g, "").slice(0, 14);

/**
 * A copy of the program in a temporary project (its own stack files, the repository's
 * node_modules linked), so the suite never writes into the repository's stack files.
 */
function projectCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-rotation-it-"));
  for (const entry of ["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json", "components"]) {
    fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  fs.mkdirSync(path.join(dir, ".state"));
  return dir;
}

describe("real engine: the runbook on kind and LocalStack", function () {
  this.timeout(30 * 60_000);
  let stack: Stack;
  let dir: string;
  const secretPath = 'secret-rotation:secrets["auth-api-secrets"]';
  const first = idAt(new Date(Date.now() - 3 * 60_000));
  const second = idAt(new Date(Date.now() - 2 * 60_000));
  const crashing = idAt(new Date(Date.now() - 60_000));
  const third = idAt(new Date(Date.now() - 30_000));

  before(async function () {
    const why = missingPrerequisite();
    if (why) {
      console.log(`    skipped, not run: ${why}`);
      this.skip();
    }
    dir = projectCopy();
    stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "itest", workDir: dir },
      {
        envVars: {
          PULUMI_BACKEND_URL: `file://${path.join(dir, ".state")}`,
          PULUMI_CONFIG_PASSPHRASE: "integration-only",
          AWS_ACCESS_KEY_ID: "test",
          AWS_SECRET_ACCESS_KEY: "test",
        },
      },
    );
    await stack.setAllConfig({
      "aws:region": { value: "us-east-1" },
      "aws:skipCredentialsValidation": { value: "true" },
      "aws:skipRequestingAccountId": { value: "true" },
      "secret-rotation:environment": { value: "staging" },
      "secret-rotation:namespace": { value: NAMESPACE },
      "secret-rotation:retentionDays": { value: "1" },
      "secret-rotation:awsRecoveryWindowDays": { value: "0" },
    });
    // One endpoint list for the provider and the program's reference guard alike: the guard
    // lists Secrets Manager (and would assume aws:assumeRoles through STS) at these endpoints,
    // with the region above and the keys of the environment, as the provider does.
    for (const service of ["secretsmanager", "cloudwatch", "sts"]) {
      await stack.setConfig(`aws:endpoints[0].${service}`, { value: LOCALSTACK }, true);
    }
    execFileSync("kubectl", ["create", "namespace", NAMESPACE], { stdio: "ignore" });
    // The clock is real until the prune step moves it.
    delete stack.workspace.envVars.ROTATION_NOW;
    // The workload exits when its token says "crash": a version that breaks the service.
    await stack.setConfig(
      "secret-rotation:workloads",
      {
        value: JSON.stringify({
          "auth-service": {
            kind: "Deployment",
            image: "busybox:1.36",
            command: ["sh", "-c", 'test "$api_token" != crash || exit 1; sleep 86400'],
            replicas: 2,
            minReadySeconds: 0,
            progressDeadlineSeconds: 30,
            secrets: ["auth-api-secrets"],
          },
        }),
      },
      false,
    );
  });

  after(async function () {
    if (!stack) return;
    await stack.destroy({ onOutput: () => undefined });
    execFileSync("kubectl", ["delete", "namespace", NAMESPACE, "--wait=false"], {
      stdio: "ignore",
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const setVersion = (id: string, value: string) =>
    stack.setConfig(`${secretPath}.versions["${id}"].api_token`, { value, secret: true }, true);
  const activate = (id: string) => stack.setConfig(`${secretPath}.active`, { value: id }, true);
  const secretsOutput = async () =>
    (await stack.outputs()).secrets.value["auth-api-secrets"] as {
      activeVersion: string;
      versions: { version: string; state: string }[];
    };
  const kubeSecretNames = () =>
    execFileSync("kubectl", [
      "get",
      "secrets",
      "-n",
      NAMESPACE,
      "-l",
      "secret-rotation/secret=auth-api-secrets",
      "-o",
      "name",
    ])
      .toString()
      .trim()
      .split("\n")
      .sort();

  it("create ahead and stage: the first version runs", async () => {
    await setVersion(first, "token-one");
    await activate(first);
    await stack.up({ onOutput: () => undefined });
    assert.equal((await secretsOutput()).activeVersion, first);
    assert.deepEqual(kubeSecretNames(), [`secret/auth-api-secrets-${first}`]);
  });

  it("activate: a second version rolls out; the first stays as the rollback target", async () => {
    await setVersion(second, "token-two");
    await activate(second);
    await stack.up({ onOutput: () => undefined });
    const states = (await secretsOutput()).versions.map((v) => `${v.version}:${v.state}`);
    assert.deepEqual(states, [`${first}:previous`, `${second}:active`]);
  });

  it("roll back: one config line and pulumi up", async () => {
    await activate(first);
    await stack.up({ onOutput: () => undefined });
    assert.equal((await secretsOutput()).activeVersion, first);
  });

  it("a value edit of an existing version is refused in preview, and nothing changes", async () => {
    await setVersion(second, "token-two-edited");
    await assert.rejects(
      stack.preview({ onOutput: () => undefined }),
      /differ from what the last update stored/,
    );
    await setVersion(second, "token-two");
  });

  it("a crashing version fails pulumi up within its progress deadline plus a minute", async () => {
    await setVersion(crashing, "crash");
    await activate(crashing);
    const started = Date.now();
    await assert.rejects(stack.up({ onOutput: () => undefined }));
    const seconds = (Date.now() - started) / 1000;
    // 30 s deadline + 60 s grace, plus the time to create the version's stores.
    assert.ok(seconds < 30 + 60 + 120, `pulumi up failed after ${seconds} s`);
    await activate(first);
    await stack.up({ onOutput: () => undefined });
  });

  it("prune: a version superseded longer than the retention ago is deleted and never declared again", async () => {
    // Retention is one day: the program's clock runs three days ahead from here on.
    stack.workspace.envVars.ROTATION_NOW = idAt(new Date(Date.now() + 3 * 86_400_000));
    await setVersion(third, "token-three");
    await activate(third);
    await stack.up({ onOutput: () => undefined });
    // The guard looked in LocalStack and in the kind cluster before pruning: were either
    // unreadable, it would keep every version (fail-safe) and nothing below would be pruned.
    const guard = (await stack.outputs()).guard.value as Record<
      "aws" | "kubernetes",
      { status: string; reason?: string }
    >;
    assert.equal(guard.aws.status, "read", guard.aws.reason);
    assert.equal(guard.kubernetes.status, "read", guard.kubernetes.reason);
    const states = Object.fromEntries(
      (await secretsOutput()).versions.map((v) => [v.version, v.state]),
    );
    // second was superseded by the rollback, three days "ago": pruned. first was active
    // until this update: it stays for the retention, counted from now.
    assert.equal(states[second], "expired");
    assert.equal(states[first], "retained");
    assert.ok(!kubeSecretNames().includes(`secret/auth-api-secrets-${second}`));
    await activate(second);
    await assert.rejects(stack.preview({ onOutput: () => undefined }), /cannot be active/);
    await activate(third);
  });
});
