/**
 * Config keys and namespaces as the Pulumi CLI and the providers read them, which the mock
 * runtime does not: a stack file's key without a namespace is the project's, a key outside
 * the project's namespace is read by nobody unless a provider owns it. Each rule is modelled
 * from its upstream source and the offline reader and the program are held to it.
 * Versions: pulumi v3.248.0, pulumi-kubernetes (provider/pkg/provider/provider.go) with
 * @pulumi/kubernetes 4.34.2, @pulumi/aws 7.48.0, @pulumi/random 4.21.2.
 */
import { strict as assert } from "assert";
import { runPlan } from "./helpers";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROVIDER_CONFIG_KEYS, namespaceWarnings } from "../config/contract/stack";
import { configKeyOf, runProgram, stackConfigFromYaml } from "../offline";

const ROOT = path.join(__dirname, "..");
const STAGING = fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8");
const NOW = "20261124000000";

/** A staging stack file's text run through the real program. */
const runText = (text: string) =>
  runProgram({ stack: "staging", config: stackConfigFromYaml(text), now: NOW });

/** The staging stack file run through the real program, with `edit` applied to its text. */
async function runStaging(edit: (text: string) => string) {
  const text = edit(STAGING);
  assert.notEqual(text, STAGING, "the edit must change the file");
  return runText(text);
}

/** What the program declared, as `type name` lines: two runs declare the same or not. */
const declared = (run: Awaited<ReturnType<typeof runProgram>>) =>
  run.resources.map((r) => `${r.type} ${r.name}`).sort();

const warnings = (run: Awaited<ReturnType<typeof runProgram>>) =>
  run.logs.filter((l) => l.startsWith("warning:"));

const pkg = (name: string) => path.join(ROOT, "node_modules", "@pulumi", name);
const version = (name: string) =>
  (JSON.parse(fs.readFileSync(path.join(pkg(name), "package.json"), "utf8")) as { version: string })
    .version;

describe("engine rules: a stack file's config keys (pulumi v3.248.0 sdk/go/common/workspace/loaders.go LoadProjectStackBytes, stackConfigNamespacedWithProject; sdk/go/common/resource/config/key.go ParseKey)", () => {
  it("a key without a namespace is the project's (stackConfigNamespacedWithProject): the stack plans as if every key were qualified", async () => {
    const qualified = await runText(STAGING);
    const bare = await runStaging((t) => t.replace(/^ {2}secret-rotation:/gm, "  "));
    assert.equal(qualified.error, undefined);
    assert.equal(bare.error, undefined, "an unqualified key is read, not refused");
    assert.deepEqual(declared(bare), declared(qualified));
    assert.ok(
      declared(bare).some((r) => r === "kubernetes:apps/v1:Deployment auth-service-deployment"),
    );
    assert.deepEqual(warnings(bare), warnings(qualified));
  });

  it("an unqualified `workloads:` alone keeps the workloads (it is secret-rotation:workloads)", async () => {
    const run = await runStaging((t) => t.replace("  secret-rotation:workloads:", "  workloads:"));
    assert.equal(run.error, undefined);
    assert.ok(declared(run).includes("kubernetes:apps/v1:Deployment auth-service-deployment"));
    assert.ok(declared(run).includes("kubernetes:batch/v1:CronJob token-refresh-cronjob"));
  });

  it("`<namespace>:config:<name>`, the old form, is `<namespace>:<name>` (ParseKey, 2 delimiters and module `config`)", async () => {
    assert.equal(configKeyOf("secret-rotation:config:workloads"), "secret-rotation:workloads");
    assert.equal(configKeyOf("aws:config:region"), "aws:region");
    assert.equal(configKeyOf("workloads"), "secret-rotation:workloads");
    assert.equal(configKeyOf("aws:region"), "aws:region");
    const run = await runStaging((t) =>
      t.replace("  secret-rotation:workloads:", "  secret-rotation:config:workloads:"),
    );
    assert.equal(run.error, undefined);
    assert.ok(declared(run).includes("kubernetes:apps/v1:Deployment auth-service-deployment"));
  });

  it("any other key with more than one `:` makes the CLI refuse the file, with ParseKey's error (config/map.go Map.UnmarshalYAML)", () => {
    for (const key of ["secret-rotation:workloads:x", "a:b:c:d"]) {
      assert.throws(
        () => stackConfigFromYaml(`config:\n  ${key}: 1\n`, "Pulumi.staging.yaml"),
        (err: Error) =>
          err.message ===
          `Pulumi.staging.yaml: could not parse ${key} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`,
      );
    }
  });

  it("a key written with and without the namespace is refused: the CLI would keep either value, in Go's random map order", () => {
    assert.throws(
      () =>
        stackConfigFromYaml(
          "config:\n  secret-rotation:retentionDays: 7\n  retentionDays: 14\n",
          "Pulumi.staging.yaml",
        ),
      /^Error: Pulumi\.staging\.yaml: config keys secret-rotation:retentionDays and retentionDays are both secret-rotation:retentionDays .* Write it once, as secret-rotation:retentionDays$/,
    );
    assert.throws(
      () =>
        stackConfigFromYaml(
          "config:\n  aws:config:region: us-east-1\n  aws:region: eu-west-1\n",
          "f.yaml",
        ),
      /config keys aws:config:region and aws:region are both aws:region/,
    );
  });
});

describe("engine rules: the config keys each provider reads itself (pulumi-kubernetes provider/pkg/provider/provider.go kubeProvider.Configure, @pulumi/kubernetes 4.34.2 ProviderArgs; @pulumi/aws 7.48.0 config/vars; @pulumi/random 4.21.2)", () => {
  /** The names a generated SDK's `.d.ts` declares with `pattern` (one capture group). */
  const declaredNames = (file: string, section: RegExp, pattern: RegExp) => {
    const text = fs.readFileSync(file, "utf8");
    const body = section.exec(text)?.[0] ?? text;
    return [...body.matchAll(pattern)].map((m) => m[1]).sort();
  };
  const providerArgs = /export interface ProviderArgs \{[\s\S]*?\n\}/;

  it("the AWS list is every config variable @pulumi/aws declares", () => {
    assert.equal(version("aws"), "7.48.0");
    const vars = declaredNames(
      path.join(pkg("aws"), "config", "vars.d.ts"),
      /[\s\S]*/,
      /export declare const (\w+)/g,
    );
    assert.ok(vars.includes("region"));
    assert.deepEqual([...PROVIDER_CONFIG_KEYS.aws].sort(), vars);
  });

  it("the Kubernetes list holds every provider argument of @pulumi/kubernetes, namespace among them", () => {
    assert.equal(version("kubernetes"), "4.34.2");
    const args = declaredNames(
      path.join(pkg("kubernetes"), "provider.d.ts"),
      providerArgs,
      /^ {4}(\w+)\?:/gm,
    );
    assert.ok(args.includes("namespace") && args.includes("context"));
    for (const arg of args) assert.ok(PROVIDER_CONFIG_KEYS.kubernetes.includes(arg), arg);
  });

  it("the random provider reads no config", () => {
    assert.equal(version("random"), "4.21.2");
    const args = declaredNames(
      path.join(pkg("random"), "provider.d.ts"),
      providerArgs,
      /^ {4}(\w+)\?:/gm,
    );
    assert.deepEqual(args, []);
    assert.deepEqual(PROVIDER_CONFIG_KEYS.random, []);
  });
});

describe("a project field under another namespace is warned about, naming the key and the right name", () => {
  it("a far typo of the namespace (sceret-rotaiton:workloads): the plan runs without the workloads, and warns", async () => {
    const run = await runStaging((t) =>
      t.replace("  secret-rotation:workloads:", "  sceret-rotaiton:workloads:"),
    );
    assert.equal(run.error, undefined, "not a near miss: not refused");
    assert.ok(!declared(run).some((r) => r.includes("auth-service")), "the workloads are gone");
    assert.ok(
      warnings(run).includes(
        'warning: config key sceret-rotaiton:workloads: "workloads" is a field of secret-rotation, but this key is in the namespace "sceret-rotaiton": secret-rotation reads only secret-rotation:workloads, so as written it is ignored; if it is meant for this stack, rename it to secret-rotation:workloads',
      ),
      warnings(run).join("\n"),
    );
  });

  it("the offline plan prints the warning in its program log, and beside a refused config", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "names-"));
    try {
      const plan = async (text: string) => {
        fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), text);
        return runPlan("staging", "--dir", dir, "--at", NOW);
      };
      const far = await plan(STAGING.replace("  secret-rotation:workloads:", "  wrkld:workloads:"));
      assert.equal(far.code, 0, far.err);
      assert.match(
        far.out,
        /Program log[\s\S]*warning: config key wrkld:workloads: .*rename it to secret-rotation:workloads/,
      );
      // Every secret under a far typo: refused as empty, and the warning says why.
      const refused = await plan(
        STAGING.replace("  secret-rotation:secrets:", "  rotation:secrets:"),
      );
      assert.equal(refused.code, 1);
      assert.match(
        refused.err,
        /warning: config key rotation:secrets: .*rename it to secret-rotation:secrets\n[\s\S]*secret-rotation:secrets: is empty/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("warns for each project field in a namespace that does not own it, never for a provider's own key", () => {
    const keys = [
      "aws:region",
      "aws:namespace",
      "aws:secrets",
      "kubernetes:namespace",
      "kubernetes:context",
      "kubernetes:workloads",
      "random:retentionDays",
      "other:constructor",
      "other:__proto__",
      "other:toString",
      "other:Workloads",
      "myproject:guard",
    ];
    const warned = namespaceWarnings(keys).map((w) => /^config key (\S+):/.exec(w)?.[1]);
    assert.deepEqual(warned, [
      "aws:namespace",
      "aws:secrets",
      "kubernetes:workloads",
      "myproject:guard",
      "random:retentionDays",
    ]);
    assert.match(
      namespaceWarnings(["aws:namespace"])[0],
      /the aws provider does not read it and secret-rotation reads only secret-rotation:namespace/,
    );
  });

  it("a near miss (secret_rotation:workloads) stays refused as before, and is not warned about too", async () => {
    assert.deepEqual(
      namespaceWarnings(["secret_rotation:workloads", "Secret-Rotation:secrets"]),
      [],
    );
    const run = await runStaging((t) =>
      t.replace("  secret-rotation:workloads:", "  secret-rotaton:workloads:"),
    );
    assert.match(
      run.error?.message ?? "",
      /secret-rotaton:workloads: the namespace "secret-rotaton" looks like a misspelling of "secret-rotation", so nothing reads this key; rename it to secret-rotation:workloads/,
    );
    assert.deepEqual(
      warnings(run).filter((w) => w.includes("secret-rotaton")),
      [],
    );
  });

  it("the committed stacks raise no namespace warning", () => {
    for (const stack of ["dev", "staging", "production"]) {
      const { config } = stackConfigFromYaml(
        fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"),
      );
      assert.deepEqual(
        namespaceWarnings(Object.keys(config).filter((k) => !k.startsWith("secret-rotation:"))),
        [],
        stack,
      );
    }
  });
});
