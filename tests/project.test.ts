/**
 * The project files a platform team relies on: Pulumi.yaml declares the scalar config with the
 * program's own defaults, and the workflows preview every pull request and deploy staging
 * before a protected production.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { STACK_FIELDS } from "../config/parse";
import { DEFAULT_AWS_RECOVERY_WINDOW_DAYS, DEFAULT_RETENTION_DAYS } from "../config/types";

const root = path.resolve(__dirname, "..");
const readYaml = (file: string): any => YAML.parse(fs.readFileSync(path.join(root, file), "utf8"));

describe("Pulumi.yaml", () => {
  const project = readYaml("Pulumi.yaml");

  it("is the secret-rotation project on the nodejs runtime with TypeScript", () => {
    assert.equal(project.name, "secret-rotation");
    assert.deepEqual(project.runtime, { name: "nodejs", options: { typescript: true } });
  });

  it("declares only keys with a default, each equal to the program's own default", () => {
    const config = project.config as Record<string, any>;
    for (const [key, entry] of Object.entries(config)) {
      assert.ok(key.startsWith("secret-rotation:"), key);
      assert.ok(entry.type && entry.description, `${key} has a type and description`);
      assert.ok("default" in entry, `${key} has a default, or every stack without it fails`);
      assert.ok(Object.hasOwn(STACK_FIELDS, key.slice("secret-rotation:".length)));
    }
    assert.equal(config["secret-rotation:retentionDays"].default, DEFAULT_RETENTION_DAYS);
    assert.equal(
      config["secret-rotation:awsRecoveryWindowDays"].default,
      DEFAULT_AWS_RECOVERY_WINDOW_DAYS,
    );
  });
});

describe("workflows", () => {
  const steps = (job: any): any[] => job.steps as any[];
  const pulumiStep = (job: any) =>
    steps(job).find((s) => String(s.uses).startsWith("pulumi/actions@"));

  it("pull requests: tests and the credential-free rotation diff of every stack; the live preview opt-in, same-repository only, in a protected environment", () => {
    const pr = readYaml(".github/workflows/preview.yml");
    assert.deepEqual(Object.keys(pr.on), ["pull_request"], "never pull_request_target");
    assert.deepEqual(pr.permissions, {}, "no permission unless a job asks");
    assert.ok(steps(pr.jobs.test).some((s) => s.run === "npm test"));
    const diff = pr.jobs["rotation-diff"];
    assert.deepEqual(diff.permissions, { contents: "read" }, "runs the pull request's code");
    const script = steps(diff)
      .map((s) => String(s.run ?? ""))
      .join("\n");
    // Against the merge commit's base parent: the base the pull request was merged into.
    assert.match(script, /npm run -s plan -- "\$\{stack\}" --base HEAD\^1/);
    assert.equal(steps(diff)[0].with["fetch-depth"], 0, "HEAD^1 is fetched");
    const text = JSON.stringify(diff);
    assert.ok(!/secrets\./.test(text), "the diff job reads no repository secret");
    assert.ok(!/id-token/.test(text), "nor any cloud identity");
    const upload = steps(diff).find((s) => String(s.uses).startsWith("actions/upload-artifact@"));
    assert.equal(upload.with.name, "rotation-diff");
    const live = pr.jobs["live-preview"];
    assert.match(live.if, /head\.repo\.full_name == github\.repository/);
    assert.match(live.if, /'live-preview'/);
    assert.equal(live.environment, "live-preview");
    assert.deepEqual(live.strategy.matrix.stack, ["staging", "production"]);
    assert.equal(pulumiStep(live).with.command, "preview");
    for (const job of Object.values(pr.jobs)) {
      for (const step of steps(job).filter((s) => s.uses)) {
        assert.match(String(step.uses), /@[0-9a-f]{40}$/, `${step.uses} is pinned by commit`);
      }
    }
  });

  it("the rotation diff names a stack file the pull request deletes", () => {
    // The step's own loop, run in a repository whose HEAD deletes a stack file of HEAD^1.
    const pr = readYaml(".github/workflows/preview.yml");
    const script = steps(pr.jobs["rotation-diff"])
      .map((s) => String(s.run ?? ""))
      .join("\n");
    const loop = /^ *for file in \$\(git diff [^\n]*\n[^]*?^ *done$/m.exec(script)?.[0];
    assert.ok(loop, "the loop over deleted stack files");
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), "deleted-stack-"));
    try {
      const git = (...args: string[]) =>
        execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
          cwd: repo,
        });
      git("init", "-q");
      for (const f of ["Pulumi.staging.yaml", "Pulumi.production.yaml", "Pulumi.yaml"]) {
        fs.writeFileSync(path.join(repo, f), "config: {}\n");
      }
      git("add", "-A");
      git("commit", "-qm", "base");
      git("rm", "-q", "Pulumi.production.yaml", "Pulumi.yaml");
      git("commit", "-qm", "the pull request");
      const out = execFileSync("bash", ["-euo", "pipefail", "-c", loop], {
        cwd: repo,
        encoding: "utf8",
      });
      assert.equal(
        out.trim(),
        "### Pulumi.production.yaml: removed by this pull request (run pulumi destroy and pulumi stack rm for that stack)",
      );
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it("posts a fork's rotation diff too, from a workflow that runs none of the pull request's code", () => {
    const pr = readYaml(".github/workflows/preview.yml");
    const post = readYaml(".github/workflows/rotation-diff-comment.yml");
    assert.deepEqual(post.on, { workflow_run: { workflows: [pr.name], types: ["completed"] } });
    assert.deepEqual(post.permissions, {});
    const job = post.jobs.comment;
    assert.deepEqual(job.permissions, { actions: "read", "pull-requests": "write" });
    assert.match(job.if, /workflow_run\.event == 'pull_request'/);
    assert.ok(
      steps(job).every((s) => !s.uses),
      "no checkout, no action: it runs only gh on the downloaded text",
    );
    const script = steps(job)
      .map((s) => String(s.run ?? ""))
      .join("\n");
    assert.match(script, /gh run download "\$RUN_ID" .*--name rotation-diff/);
    assert.match(script, /\^\[0-9\]\+\$/, "the artifact's pull request number must be a number");
    assert.match(
      script,
      /"\$pr_head" != "\$HEAD_SHA"/,
      "and that pull request must be at the run's commit",
    );
    assert.ok(!/npm|node|\$\(cat/.test(script), "nothing from the artifact is run");
  });

  it("deploys staging, then production behind a protected environment, on merge to main", () => {
    const deploy = readYaml(".github/workflows/deploy.yml");
    assert.deepEqual(deploy.on.push.branches, ["main"]);
    assert.equal(pulumiStep(deploy.jobs.staging).with.command, "up");
    assert.match(pulumiStep(deploy.jobs.staging).with["stack-name"], /\/staging$/);
    assert.equal(deploy.jobs.production.needs, "staging");
    assert.equal(deploy.jobs.production.environment, "production");
    assert.equal(pulumiStep(deploy.jobs.production).with.command, "up");
    assert.match(pulumiStep(deploy.jobs.production).with["stack-name"], /\/production$/);
    for (const job of Object.values(deploy.jobs)) {
      for (const step of steps(job).filter((s) => s.uses)) {
        assert.match(String(step.uses), /@[0-9a-f]{40}$/, `${step.uses} is pinned by commit`);
      }
    }
  });

  it("runs the real-engine suite against kind and LocalStack 4.14.0, every action pinned by commit", () => {
    const integration = readYaml(".github/workflows/integration.yml");
    const job = integration.jobs.runbook;
    assert.equal(job.services.localstack.image, "localstack/localstack:4.14.0");
    for (const step of steps(job).filter((s) => s.uses)) {
      assert.match(String(step.uses), /@[0-9a-f]{40}$/, `${step.uses} is pinned by commit`);
    }
    assert.ok(steps(job).some((s) => String(s.uses).startsWith("helm/kind-action@")));
    const run = steps(job).find((s) => s.run === "npm run test:integration");
    assert.equal(run.env.SECRET_ROTATION_INTEGRATION, "1");
  });
});
