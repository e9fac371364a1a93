/**
 * The offline plan, the README's "run it" command: reads a stack file, runs the program under
 * the mock runtime and prints states, names, references and resource counts.
 */
import { strict as assert } from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../scripts/plan";
import { runPlan } from "./helpers";
import { SECURE_PLACEHOLDER, stackConfigFromYaml } from "../offline";

describe("npm run plan", () => {
  let dir: string;
  /** `pulumi stack output --json --stack staging`, as the committed staging stack exports it. */
  let stagingOutputs: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    // Staging's update that activated 20261110100000 ran at that time; its plan --json is
    // accepted as it is, like `pulumi stack output --json`.
    const staging = await runPlan("staging", "--at", "20261110100000", "--json");
    assert.equal(staging.code, 0, staging.err);
    stagingOutputs = path.join(dir, "staging.json");
    fs.writeFileSync(stagingOutputs, staging.out);
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("prints each version's state and names, each workload's references, and resource counts", async () => {
    const { code, out, err } = await runPlan(
      "production",
      "--at",
      "20261201000000",
      "--staging-outputs",
      stagingOutputs,
    );
    assert.equal(code, 0, err);
    assert.match(
      out,
      /Plan for stack production \(environment production, namespace production\) at 2026-12-01T00:00:00.000Z/,
    );
    assert.match(
      out,
      /20261020100000 +previous +Secret +auth-api-secrets-20261020100000 +production\/auth-api-secrets-20261020100000/,
    );
    assert.match(out, /20261110100000 +active +Secret +auth-api-secrets-20261110100000/);
    assert.match(out, /auth-service +Deployment +3 +auth-api-secrets-20261110100000/);
    assert.match(out, /token-refresh +CronJob +- +auth-api-secrets-20261110100000/);
    assert.match(out, /2 +aws:secretsmanager\/secret:Secret/);
    assert.match(out, /4 +random:index\/randomPassword:RandomPassword/);
    assert.match(out, /Staging gate \(from acme\/secret-rotation\/staging, soak 24 h\)/);
    assert.match(out, /auth-api-secrets +20261110100000 +active +passed/);
  });

  it("shows production's whole plan without staging's outputs, marking the gate not checked", async () => {
    const { code, out, err } = await runPlan("production", "--at", "20261201000000");
    assert.equal(code, 0, err);
    assert.match(out, /20261110100000 +active +Secret +auth-api-secrets-20261110100000/);
    assert.match(
      out,
      /auth-api-secrets +20261110100000 +active +unchecked +staging's outputs were not read \(offline: pass --staging-outputs FILE\)/,
    );
    assert.match(out, /warning: staging gate not checked/);
  });

  it("shows the gate refusing a version staging has not soaked", async () => {
    // On 2026-11-10 at noon the active version is 2 hours old: soakHours 24 refuses it.
    const { code, err } = await runPlan(
      "production",
      "--at",
      "20261110120000",
      "--staging-outputs",
      stagingOutputs,
    );
    assert.equal(code, 1);
    assert.match(
      err,
      /secret-rotation:secrets.auth-api-secrets.active: version 20261110100000 has not passed staging: staging activated it 2 h ago \(2026-11-10T10:00:00.000Z\); soakHours 24 lets it through from 2026-11-11T10:00:00.000Z/,
    );
  });

  it("refuses a staging outputs file without secrets, naming the command that writes it", async () => {
    const bad = path.join(dir, "bad.json");
    fs.writeFileSync(bad, JSON.stringify({ environment: "staging" }));
    const { code, err } = await runPlan("production", "--staging-outputs", bad);
    assert.equal(code, 2);
    assert.match(
      err,
      /--staging-outputs .*bad.json: no "secrets" output; write it with: pulumi stack output --json --stack <stack>/,
    );
  });

  it("shows what a later date prunes", async () => {
    const { code, out } = await runPlan("staging", "--at", "2027-03-01", "--json");
    assert.equal(code, 0);
    const result = JSON.parse(out);
    assert.equal(result.at, "2027-03-01T00:00:00.000Z");
    const states = result.outputs.secrets["auth-api-secrets"].versions.map((v: any) => v.state);
    assert.deepEqual(states, ["previous", "active"], "the rollback target is kept however old");
    assert.equal(result.resources["kubernetes:core/v1:Secret"], 2);
  });

  it("exits 1 with the validation error for a bad stack", async () => {
    const { code, err } = await runPlan("staging", "--at", "20261001000000");
    assert.equal(code, 1);
    assert.match(
      err,
      /secret-rotation:secrets.auth-api-secrets.versions.20261020100000: in the future/,
    );
  });

  it("exits non-zero for a missing stack file or a bad --at, naming --at", async () => {
    assert.notEqual((await runPlan("qa")).code, 0);
    const garbage = await runPlan("staging", "--at", "soon");
    assert.equal(garbage.code, 2);
    assert.match(garbage.err, /^--at soon: not a time/);
    assert.ok(!garbage.err.includes("ROTATION_NOW"), garbage.err);
  });

  it("refuses an impossible date instead of rolling it into the next month", async () => {
    for (const date of ["2026-02-30", "2026-02-29T12:00:00Z", "2026-04-31 08:00"]) {
      const { code, err } = await runPlan("staging", "--at", date);
      assert.equal(code, 2, date);
      assert.match(err, /is not a real date/);
    }
    assert.equal((await runPlan("staging", "--at", "2028-02-29")).code, 0, "a leap day");
  });

  it("takes the stack's previous outputs as memory (--previous-outputs)", async () => {
    // Staging's outputs after an update on 2026-11-30; the next plan remembers when the
    // active version was activated, and keeps the rollback target, as pulumi up would.
    const previous = await runPlan("staging", "--at", "20261130000000", "--json");
    const file = path.join(dir, "previous.json");
    fs.writeFileSync(file, previous.out);
    const { code, out, err } = await runPlan(
      "staging",
      "--at",
      "20261201000000",
      "--previous-outputs",
      file,
      "--json",
    );
    assert.equal(code, 0, err);
    // Secret outputs stay hidden, as `pulumi stack output --json` prints them.
    assert.equal(JSON.parse(out).outputs.versionFingerprints, "[secret]");
    const secret = JSON.parse(out).outputs.secrets["auth-api-secrets"];
    const active = secret.versions.find((v: any) => v.version === "20261110100000");
    assert.equal(active.activatedAt, "2026-11-30T00:00:00.000Z", "kept from the memory");
    assert.equal(secret.versions[0].state, "previous");
    const bad = path.join(dir, "nothing.json");
    fs.writeFileSync(bad, "{}");
    const refused = await runPlan("staging", "--previous-outputs", bad);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /^--previous-outputs .*nothing.json: no "secrets" output/);
  });

  it("plans the dev stack: one unversioned Secret, updated in place", async () => {
    const { code, out, err } = await runPlan("dev", "--at", "20261124000000");
    assert.equal(code, 0, err);
    assert.match(out, /20261110100000 +active +Secret +auth-api-secrets +dev\/auth-api-secrets/);
    assert.match(out, /auth-service +Deployment +1 +auth-api-secrets/);
  });

  it("replaces encrypted values by a placeholder and marks their keys secret", () => {
    const { config, secretKeys } = stackConfigFromYaml(
      [
        "config:",
        "  aws:region: us-east-1",
        "  secret-rotation:retentionDays: 14",
        "  secret-rotation:secrets:",
        "    api:",
        '      active: "20250101000000"',
        "      versions:",
        "        20250101000000:",
        "          token: { secure: v1:AAAABBBBCCCC }",
      ].join("\n"),
    );
    assert.deepEqual(secretKeys, ["secret-rotation:secrets"]);
    assert.equal(config["secret-rotation:retentionDays"], "14");
    const secrets = JSON.parse(config["secret-rotation:secrets"]);
    assert.equal(secrets.api.versions["20250101000000"].token, SECURE_PLACEHOLDER);
    assert.ok(!config["secret-rotation:secrets"].includes("v1:AAAA"));
  });

  it("reads a stack file as Pulumi does: a merge key resolved, a .nan and a ' 7 ' refused by name (issue 17)", async () => {
    const committed = fs.readFileSync(path.join(__dirname, "..", "Pulumi.staging.yaml"), "utf8");
    const write = (name: string, text: string) => {
      const folder = path.join(dir, name);
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(path.join(folder, "Pulumi.staging.yaml"), text);
      return folder;
    };
    const merged = committed
      .replace(
        "config:\n",
        "x-image: &image { image: registry.example.com/auth-service:1.9.0 }\nconfig:\n",
      )
      .replace("      image: registry.example.com/auth-service:1.8.0\n", "      <<: *image\n");
    const ok = await runPlan("staging", "--dir", write("merge", merged), "--at", "20261124000000");
    assert.equal(ok.code, 0, ok.err);

    const nan = await runPlan(
      "staging",
      "--dir",
      write("nan", committed.replace("replicas: 2", "replicas: .nan")),
      "--at",
      "20261124000000",
    );
    assert.equal(nan.code, 1, "a stack file Pulumi refuses is a bad config");
    assert.match(
      nan.err,
      /Pulumi\.staging\.yaml:25:\d+: secret-rotation:workloads\.auth-service\.replicas is \.nan/,
    );

    const spaced = await runPlan(
      "staging",
      "--dir",
      write("spaced", committed.replace("retentionDays: 7", "retentionDays: ' 7 '")),
      "--at",
      "20261124000000",
    );
    assert.equal(spaced.code, 1);
    assert.match(spaced.err, /secret-rotation:retentionDays: " 7 " is not allowed/);
  });
});

describe("plan CLI: exit codes and output through a pipe", () => {
  it("bad usage exits 2, --help exits 0", async () => {
    const quiet = { out: () => undefined, err: () => undefined };
    assert.equal(await main(["node", "plan"], quiet), 2, "no stack");
    assert.equal(await main(["node", "plan", "staging", "--bogus"], quiet), 2, "unknown option");
    assert.equal(await main(["node", "plan", "--help"], quiet), 0);
  });

  it("a stack file Pulumi would refuse is a bad config (exit 1); a missing one is bad usage (exit 2)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-exit-"));
    try {
      const quiet = { out: () => undefined, err: () => undefined };
      const committed = fs.readFileSync(path.join(__dirname, "..", "Pulumi.staging.yaml"), "utf8");
      fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), `${committed}\n  bad: [\n`);
      assert.equal(await main(["node", "plan", "staging", "--dir", dir], quiet), 1, "syntax");
      fs.writeFileSync(
        path.join(dir, "Pulumi.staging.yaml"),
        committed.replace(/replicas: \d+/, "replicas: .nan"),
      );
      assert.equal(await main(["node", "plan", "staging", "--dir", dir], quiet), 1, ".nan");
      assert.equal(await main(["node", "plan", "production", "--dir", dir], quiet), 2, "missing");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Runs `body` in a child whose stdout is a pipe nobody reads for a while; the bytes read. */
  async function throughPipe(body: string): Promise<{ bytes: number; code: number | null }> {
    const plan = JSON.stringify(path.join(__dirname, "..", "scripts", "plan.ts"));
    const child = spawn(
      process.execPath,
      ["--require", "tsx/cjs", "-e", `const plan = require(${plan}); ${body}`],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    let bytes = 0;
    child.stdout.on("data", (chunk: Buffer) => (bytes += chunk.length));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    return { bytes, code };
  }

  const TWO_MIB = 2 * 1024 * 1024;
  const write = `process.stdout.write("x".repeat(${TWO_MIB}));`;

  it("a large output reaches a pipe whole: the CLI exits once standard output drained", async function () {
    this.timeout(60_000);
    assert.deepEqual(await throughPipe(`${write} plan.exitWhenFlushed(0);`), {
      bytes: TWO_MIB,
      code: 0,
    });
    // What it replaces: process.exit straight after the write cuts it at the pipe's buffer.
    const cut = await throughPipe(`${write} process.exit(0);`);
    assert.ok(cut.bytes < TWO_MIB, `process.exit wrote ${cut.bytes} bytes`);
  });
});
