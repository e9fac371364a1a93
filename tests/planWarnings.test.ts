/**
 * The offline plan's warnings about its inputs (issue 17): an outputs file that seems to be
 * another stack's (`--previous-outputs`, `--staging-outputs`), and secret values a stack file
 * holds in plain text rather than `secure:`. Each names the file or config path and the fix,
 * never a value.
 */
import { strict as assert } from "assert";
import { oneVersionStackFile, runPlan } from "./helpers";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  outputsOrigin,
  plainSecretValues,
  plannedStack,
  previousOutputsWarning,
  readStackFile,
  stackConfigFromYaml,
  stagingOutputsWarning,
} from "../offline";
import { plainValueWarning } from "../config/plainValues";

/** The warnings of a plan's --json (the `warning: ` lines of its log). */
function warningsOf(json: string): string[] {
  return (JSON.parse(json) as { logs: string[] }).logs.filter((l) => l.startsWith("warning: "));
}

/** A stack's outputs as `pulumi stack output --json` prints them (no `stack` field). */
function stackOutputJson(planJson: string): string {
  return JSON.stringify((JSON.parse(planJson) as { outputs: unknown }).outputs);
}

const FOREIGN = /seems to be the outputs of/;

describe("plan warnings: an outputs file of another stack", () => {
  let dir: string;
  let productionPlan: string;
  let stagingPlan: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-warnings-"));
    const production = await runPlan("production", "--at", "20261201000000", "--json");
    const staging = await runPlan("staging", "--at", "20261110100000", "--json");
    assert.equal(production.code, 0, production.err);
    assert.equal(staging.code, 0, staging.err);
    productionPlan = path.join(dir, "production-plan.json");
    stagingPlan = path.join(dir, "staging-plan.json");
    fs.writeFileSync(productionPlan, production.out);
    fs.writeFileSync(stagingPlan, staging.out);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads which stack wrote a file: the plan's stack name, else the environment output, else the AWS names' prefix", () => {
    const planJson = JSON.parse(fs.readFileSync(productionPlan, "utf8")) as {
      outputs: Record<string, unknown>;
    };
    const outputs = planJson.outputs;
    assert.deepEqual(outputsOrigin(planJson, outputs), {
      stack: "production",
      environment: "production",
      evidence: 'its environment output is "production"',
    });
    // `pulumi stack output --json`: no stack name, the environment output.
    assert.equal(outputsOrigin(outputs, outputs).stack, undefined);
    assert.equal(outputsOrigin(outputs, outputs).environment, "production");
    // Only `secrets` (an older or trimmed file): the `<environment>/` prefix of its AWS names.
    const trimmed = { secrets: outputs.secrets };
    assert.deepEqual(outputsOrigin(trimmed, trimmed), {
      environment: "production",
      evidence: 'its AWS secret names start with "production/"',
    });
    // Nothing that names a stack: nothing is claimed.
    assert.deepEqual(outputsOrigin({ secrets: {} }, { secrets: {} }), {});
  });

  it("warns when --previous-outputs is another stack's, naming the file, its stack and the planned one; not for its own", async () => {
    const foreign = await runPlan(
      "staging",
      "--at",
      "20261201000000",
      "--previous-outputs",
      productionPlan,
      "--json",
    );
    assert.equal(foreign.code, 0, foreign.err);
    assert.deepEqual(
      warningsOf(foreign.out).filter((w) => FOREIGN.test(w)),
      [
        `warning: --previous-outputs ${productionPlan} seems to be the outputs of stack production (environment production), not of stack staging (environment staging), the stack being planned: ` +
          "the plan would take another stack's memory of activations and prunes. " +
          `Write this stack's with: pulumi stack output --json --stack staging > ${productionPlan}`,
      ],
    );

    // `pulumi stack output --json` of production: told by its environment.
    const raw = path.join(dir, "production-outputs.json");
    fs.writeFileSync(raw, stackOutputJson(fs.readFileSync(productionPlan, "utf8")));
    const text = await runPlan("staging", "--at", "20261201000000", "--previous-outputs", raw);
    assert.equal(text.code, 0, text.err);
    assert.match(
      text.out,
      /Program log\n {2}warning: --previous-outputs .*production-outputs\.json seems to be the outputs of a production stack \(its environment output is "production"\), not of stack staging/,
    );

    const own = await runPlan(
      "staging",
      "--at",
      "20261201000000",
      "--previous-outputs",
      stagingPlan,
      "--json",
    );
    assert.equal(own.code, 0, own.err);
    assert.deepEqual(
      warningsOf(own.out).filter((w) => FOREIGN.test(w)),
      [],
    );
  });

  it("warns when --staging-outputs is not promotion.fromStack's; staging's own passes silently", async () => {
    const wrong = path.join(dir, "production-as-staging.json");
    fs.writeFileSync(wrong, stackOutputJson(fs.readFileSync(productionPlan, "utf8")));
    // Production's own outputs as staging's: the gate reads production's activations, which
    // are too recent, so the plan fails; the warning comes first, on stderr, saying why.
    const refused = await runPlan(
      "production",
      "--at",
      "20261201000000",
      "--staging-outputs",
      wrong,
    );
    assert.equal(refused.code, 1);
    const [first] = refused.err.split("\n");
    assert.equal(
      first,
      `warning: --staging-outputs ${wrong} seems to be the outputs of a production stack (its environment output is "production"), not of acme/secret-rotation/staging (secret-rotation:promotion.fromStack), the stack production promotes from: ` +
        "the staging gate would check this stack's versions against another stack. " +
        `Write it with: pulumi stack output --json --stack acme/secret-rotation/staging > ${wrong}`,
    );
    assert.match(
      refused.err,
      /the staging gate \(promotion.fromStack acme\/secret-rotation\/staging\) stops this update/,
    );

    const right = await runPlan(
      "production",
      "--at",
      "20261201000000",
      "--staging-outputs",
      stagingPlan,
      "--json",
    );
    assert.equal(right.code, 0, right.err);
    assert.deepEqual(
      warningsOf(right.out).filter((w) => FOREIGN.test(w)),
      [],
    );
  });

  it("compares with the source's default environment only when its name is one; otherwise flags only the planned stack's own environment", () => {
    const staging = { environment: "staging", evidence: "e" };
    const production = { environment: "production", evidence: "e" };
    const named = (fromStack: string) => ({
      stack: "production",
      environment: "production",
      fromStack,
    });
    assert.equal(
      stagingOutputsWarning("f", staging, named("acme/secret-rotation/staging")),
      undefined,
    );
    assert.match(
      stagingOutputsWarning("f", production, named("acme/secret-rotation/staging")) ?? "",
      FOREIGN,
    );
    // A source named `stg` sets its environment itself: only this stack's own environment is wrong.
    assert.equal(stagingOutputsWarning("f", staging, named("acme/secret-rotation/stg")), undefined);
    assert.match(
      stagingOutputsWarning("f", production, named("acme/secret-rotation/stg")) ?? "",
      FOREIGN,
    );
    // A plan --json names its stack: compared with the source's stack name.
    assert.match(
      stagingOutputsWarning(
        "f",
        { stack: "qa", environment: "staging" },
        named("acme/secret-rotation/staging"),
      ) ?? "",
      /outputs of stack qa \(environment staging\), not of acme\/secret-rotation\/staging/,
    );
    // No promotion configured, or a file that names nothing: no claim.
    assert.equal(
      stagingOutputsWarning("f", production, { stack: "production", environment: "production" }),
      undefined,
    );
    assert.equal(stagingOutputsWarning("f", {}, named("acme/secret-rotation/staging")), undefined);
    assert.equal(
      previousOutputsWarning("f", {}, { stack: "staging", environment: "staging" }),
      undefined,
    );
  });

  it("takes the planned stack's environment and promotion source from its file by the contract's rules", () => {
    assert.deepEqual(plannedStack("production", readStackFile("production")), {
      stack: "production",
      environment: "production",
      fromStack: "acme/secret-rotation/staging",
    });
    // `environment` set: it, not the stack name; an invalid one: unknown (the run refuses it).
    const set = (environment: string) =>
      plannedStack("qa", {
        config: { "secret-rotation:environment": environment },
        secretKeys: [],
      });
    assert.equal(set("staging").environment, "staging");
    assert.equal(set("qa").environment, undefined);
    assert.equal(plannedStack("qa", { config: {}, secretKeys: [] }).environment, undefined);
  });
});

const PLAIN = "plain-hunter2-do-not-print";
const SECURE = "{ secure: v1:AAAABBBBCCCCDDDD }";
const PATH = (key: string) =>
  `secret-rotation:secrets["auth-api-secrets"].versions["20261110100000"].${key}`;

describe("plan warnings: a secret value not secure: in the stack file", () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-plain-"));
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const planWith = async (values: Record<string, string>) => {
    fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), oneVersionStackFile(values));
    return runPlan("staging", "--dir", dir, "--at", "20261201000000", "--json");
  };

  it("finds each plain value under secrets.<name>.versions.<id>.<key>, never a secure one", () => {
    const config = stackConfigFromYaml(
      oneVersionStackFile({ api_token: PLAIN, "db-password": SECURE }),
    );
    assert.deepEqual(config.plainValues, [
      { secret: "auth-api-secrets", version: "20261110100000", key: "api_token" },
    ]);
    assert.deepEqual(
      plainSecretValues({ s: { versions: { "1": { n: 7, b: true, o: { a: 1 } } } } }),
      [
        { secret: "s", version: "1", key: "n" },
        { secret: "s", version: "1", key: "b" },
      ],
    );
    // A whole version written as { secure: ... } holds no plain value.
    assert.deepEqual(plainSecretValues({ s: { versions: { "1": { secure: "v1:AAAA" } } } }), []);
    // Written without the namespace, `secrets:` is the project's key (loaders.go
    // stackConfigNamespacedWithProject), so its values are looked at too.
    const unqualified = oneVersionStackFile({ api_token: PLAIN }).replace(
      "secret-rotation:secrets",
      "secrets",
    );
    assert.deepEqual(stackConfigFromYaml(unqualified).plainValues, [
      { secret: "auth-api-secrets", version: "20261110100000", key: "api_token" },
    ]);
    // The committed stacks generate every key: nothing to warn about.
    for (const stack of ["dev", "staging", "production"]) {
      assert.equal(readStackFile(stack).plainValues, undefined, stack);
    }
  });

  it("warns about a plain value among encrypted ones (which the CLI cannot tell the program), naming the path and the command, not the value", async () => {
    const { code, out, err } = await planWith({ api_token: PLAIN, "db-password": SECURE });
    assert.equal(code, 0, err);
    assert.deepEqual(
      warningsOf(out).filter((w) => w.includes("is not encrypted")),
      [
        `warning: ${PATH("api_token")} is not encrypted: its value is in the stack's config in plain text (not secure:), ` +
          "readable by anyone who can read Pulumi.staging.yaml or its history. " +
          `Encrypt it with: pulumi config set --stack staging --secret --path '${PATH("api_token")}' ` +
          "(it prompts for the value; the same value leaves the version unchanged), " +
          "and if the file was ever committed, rotate: add a new version with a new value",
      ],
    );
    assert.ok(!out.includes(PLAIN) && !err.includes(PLAIN), "the value never appears");
  });

  it("warns once per value when none is encrypted: the program's own warning, as under pulumi up", async () => {
    const { code, out, err } = await planWith({ api_token: PLAIN, "db-password": `${PLAIN}-2` });
    assert.equal(code, 0, err);
    const warnings = warningsOf(out).filter((w) => w.includes("is not encrypted"));
    assert.deepEqual(warnings, [
      `warning: ${plainValueWarning("staging", { secret: "auth-api-secrets", version: "20261110100000", key: "api_token" })}`,
      `warning: ${plainValueWarning("staging", { secret: "auth-api-secrets", version: "20261110100000", key: "db-password" })}`,
    ]);
    assert.match(warnings[1], /\.versions\["20261110100000"\]\["db-password"\] is not encrypted/);
    assert.ok(!out.includes(PLAIN) && !err.includes(PLAIN), "the value never appears");
  });

  it("says nothing when every value is encrypted", async () => {
    const { code, out, err } = await planWith({ api_token: SECURE });
    assert.equal(code, 0, err);
    assert.deepEqual(
      warningsOf(out).filter((w) => w.includes("is not encrypted")),
      [],
    );
  });
});
