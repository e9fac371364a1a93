/**
 * `npm run plan -- <stack> --base <git-ref>` on real commits (issue 20 §1): a temporary git
 * repository holds a copy of this working tree as its first commit; a second commit rotates
 * staging and adds a stack file; the working tree then adds a canary to production. Each run
 * plans the ref's tree (extracted by `git archive`, run as its own program) and the working
 * tree, with the same clock and memory.
 */
import { strict as assert } from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planAgainstBase } from "../scripts/planBase";
import { runPlan } from "./helpers";

const ROOT = path.resolve(__dirname, "..");
const AT = "2026-12-02T00:00:00.000Z";

function git(cwd: string, ...args: string[]): string {
  const who = ["-c", "user.name=test", "-c", "user.email=test@example.com"];
  return execFileSync("git", [...who, ...args], { cwd, encoding: "utf8" }).trim();
}

/** Edits a file of the repository: `edit` maps its text to the new text. */
function edit(repo: string, file: string, change: (text: string) => string): void {
  const full = path.join(repo, file);
  fs.writeFileSync(full, change(fs.readFileSync(full, "utf8")));
}

describe("npm run plan -- <stack> --base <git-ref>", function () {
  this.timeout(180_000);
  let tmp: string;
  let repo: string;

  /** The diff as `npm run plan -- <stack> --base <ref> [...]` prints it, in the repository. */
  const diff = (
    stack: string,
    ref: string,
    more: { json?: boolean; passthrough?: string[] } = {},
  ) => {
    const out: string[] = [];
    const err: string[] = [];
    const run = { root: repo, stack, ref, at: AT, passthrough: more.passthrough ?? [] };
    return planAgainstBase(
      { ...run, json: more.json ?? false },
      { out: (t) => out.push(t), err: (t) => err.push(t) },
      (args) => runPlan(...args),
    ).then((code) => ({ code, out: out.join("\n"), err: err.join("\n") }));
  };

  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-base-test-"));
    repo = path.join(tmp, "repo");
    // The working tree as it is (tracked and new files), as the repository's first commit.
    const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
      cwd: ROOT,
      encoding: "utf8",
    })
      .split("\0")
      .filter((f) => f && fs.existsSync(path.join(ROOT, f)));
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
      fs.copyFileSync(path.join(ROOT, f), path.join(repo, f));
    }
    git(repo, "init", "-q");
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "base");
    // The pull request: staging activates a new version and drops its oldest; a qa stack.
    edit(repo, "Pulumi.staging.yaml", (t) =>
      t
        .replace('active: "20261110100000"', 'active: "20261201100000"')
        .replace(/^( +)"20261020100000": \{\}\n/m, "")
        .replace(
          /^( +)"20261110100000": \{\}\n/m,
          '$1"20261110100000": {}\n$1"20261201100000": {}\n',
        ),
    );
    fs.writeFileSync(
      path.join(repo, "Pulumi.qa.yaml"),
      fs
        .readFileSync(path.join(repo, "Pulumi.staging.yaml"), "utf8")
        .replace(
          "config:\n",
          "config:\n  secret-rotation:environment: staging\n  secret-rotation:namespace: qa\n",
        ),
    );
    git(repo, "add", "-A");
    git(repo, "commit", "-qm", "rotate staging; add qa");
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Tags a commit on top of HEAD, on no branch, in which `file` holds `text`. */
  function commitOnTop(tag: string, file: string, text: string): void {
    const blob = execFileSync("git", ["hash-object", "-w", "--stdin"], { cwd: repo, input: text })
      .toString()
      .trim();
    const env = { ...process.env, GIT_INDEX_FILE: path.join(tmp, `index-${tag}`) };
    const plumbing = (...args: string[]) =>
      execFileSync("git", args, { cwd: repo, env, encoding: "utf8" }).trim();
    plumbing("read-tree", "HEAD");
    plumbing("update-index", "--add", "--cacheinfo", `100644,${blob},${file}`);
    git(
      repo,
      "tag",
      tag,
      git(repo, "commit-tree", plumbing("write-tree"), "-p", "HEAD", "-m", tag),
    );
  }

  it("shows per secret the versions, active, rolls to the new Secret names and what is pruned", async () => {
    const { code, out, err } = await diff("staging", "HEAD~1");
    assert.equal(code, 0, err);
    assert.match(out, /Rotation diff for stack staging: HEAD~1 \([0-9a-f]{12}\) → working tree/);
    assert.match(out, /auth-api-secrets: changed/);
    assert.match(out, /versions added: 20261201100000\n/);
    assert.match(out, /versions removed: 20261020100000\n/);
    assert.match(out, /active: 20261110100000 → 20261201100000/);
    assert.match(out, /rollback target: 20261020100000 → 20261110100000/);
    assert.match(
      out,
      /auth-service \(Deployment\): auth-api-secrets-20261110100000 → auth-api-secrets-20261201100000/,
    );
    assert.match(
      out,
      /token-refresh \(CronJob\): auth-api-secrets-20261110100000 → auth-api-secrets-20261201100000/,
    );
    assert.match(out, /pruned \(no longer declared[^)]*\): 20261020100000/);
    assert.match(out, /Staging gate: none \(secret-rotation:promotion is not set\)/);
  });

  it("--json: production's new canary, its canary Deployment and what the gate needs; memory goes to both sides", async () => {
    // The memory: production's outputs after an update at the ref (same stack file there).
    const memory = await runPlan("production", "--dir", repo, "--at", "20261115000000", "--json");
    assert.equal(memory.code, 0, memory.err);
    const previous = path.join(tmp, "production.json");
    fs.writeFileSync(previous, memory.out);
    // In the working tree, not committed: a canary of a new version.
    edit(repo, "Pulumi.production.yaml", (t) =>
      t
        .replace(
          /^( +)active: "20261110100000"\n/m,
          '$&$1canary: { version: "20261201100000", percent: 25 }\n',
        )
        .replace(/^( +)"20261110100000": \{\}\n/m, '$&$1"20261201100000": {}\n'),
    );
    const { code, out, err } = await diff("production", "HEAD", {
      json: true,
      passthrough: ["--previous-outputs", previous],
    });
    assert.equal(code, 0, err);
    const d = JSON.parse(out);
    assert.equal(d.newStackFile, false);
    const s = d.secrets["auth-api-secrets"];
    assert.deepEqual(s.versionsAdded, ["20261201100000"]);
    assert.deepEqual(s.canary, { from: null, to: "20261201100000 at 25%" });
    assert.equal(s.active, null);
    assert.deepEqual(s.rolls, [
      {
        workload: "auth-service",
        part: "canary Deployment",
        from: null,
        to: "auth-api-secrets-20261201100000",
      },
    ]);
    assert.deepEqual(s.pruned, []);
    // The active version is in production's memory on both sides: nothing to vouch for.
    const byRole = Object.fromEntries(s.gate.map((g: { role: string }) => [g.role, g]));
    assert.equal(byRole.active.status, "unchanged");
    assert.equal(byRole.active.new, false);
    assert.equal(byRole.canary.status, "unchecked");
    assert.equal(byRole.canary.new, true);
    assert.match(
      byRole.canary.needs,
      /acme\/secret-rotation\/staging runs 20261201100000 .*at least 24 h .*keys api_token, signing_key/,
    );
  });

  it("shows a stack file the change adds as wholly new", async () => {
    const { code, out, err } = await diff("qa", "HEAD~1");
    assert.equal(code, 0, err);
    assert.match(out, /Pulumi\.qa\.yaml is new: it is not at HEAD~1; everything is added\./);
    assert.match(out, /auth-api-secrets: added/);
    assert.match(out, /versions added: 20261110100000, 20261201100000/);
    assert.match(out, /active: none → 20261201100000/);
    assert.match(out, /auth-service \(Deployment\): none → auth-api-secrets-20261201100000/);
  });

  it("an unknown ref, a stack file on neither side, or a qualified stack name is a usage error naming it", async () => {
    const unknown = await diff("staging", "no-such-branch");
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /--base no-such-branch: unknown git ref/);
    const missing = await diff("nosuch", "HEAD~1");
    assert.equal(missing.code, 2);
    assert.match(
      missing.err,
      /no stack file Pulumi\.nosuch\.yaml, neither at HEAD~1 \([0-9a-f]{12}\) nor in the working tree/,
    );
    const qualified = await diff("acme/secret-rotation/qa", "HEAD~1");
    assert.equal(qualified.code, 2);
    assert.match(
      qualified.err,
      /"acme\/secret-rotation\/qa" is a qualified stack name: give the stack's own name, "qa"/,
    );
    fs.renameSync(path.join(repo, "Pulumi.qa.yaml"), path.join(tmp, "qa.yaml"));
    try {
      const removed = await diff("qa", "HEAD");
      assert.equal(removed.code, 2);
      assert.match(removed.err, /Pulumi\.qa\.yaml is at HEAD but not in the working tree/);
    } finally {
      fs.renameSync(path.join(tmp, "qa.yaml"), path.join(repo, "Pulumi.qa.yaml"));
    }
  });

  it("a config the ref's own program refuses is an error naming the ref", async () => {
    // A commit on no branch whose staging stack file activates a version it does not list.
    const bad = fs
      .readFileSync(path.join(repo, "Pulumi.staging.yaml"), "utf8")
      .replace('active: "20261201100000"', 'active: "20270101000000"');
    commitOnTop("bad-config", "Pulumi.staging.yaml", bad);
    const { code, err } = await diff("staging", "bad-config");
    assert.equal(code, 1);
    assert.match(err, /the plan at bad-config \([0-9a-f]{12}\) failed:\n/);
    assert.match(err, /20270101000000/);
    // Both sides refused: both errors, the ref's first.
    const staging = path.join(repo, "Pulumi.staging.yaml");
    const good = fs.readFileSync(staging, "utf8");
    fs.writeFileSync(staging, good.replace('active: "20261201100000"', 'active: "20270202000000"'));
    try {
      const both = await diff("staging", "bad-config");
      assert.equal(both.code, 1);
      assert.match(
        both.err,
        /the plan at bad-config [^\n]* failed:\n[^]*20270101000000[^]*\nthe plan of the working tree failed:\n[^]*20270202000000/,
      );
    } finally {
      fs.writeFileSync(staging, good);
    }
  });

  it("the CLI reports a config the working tree's program refuses, exits 1 and leaves no extracted tree", () => {
    // As `npm run plan` runs it: its own process, where Node ends the process on an unhandled
    // rejection (no test runner's listener), in the repository's own checkout.
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
    const staging = path.join(repo, "Pulumi.staging.yaml");
    const good = fs.readFileSync(staging, "utf8");
    fs.writeFileSync(staging, good.replace('active: "20261201100000"', 'active: "20270303000000"'));
    // Its own temporary folder (os.tmpdir() reads TMPDIR), so other runs' folders do not count.
    const own = fs.mkdtempSync(path.join(tmp, "cli-tmp-"));
    try {
      const cli = ["--require", require.resolve("tsx/cjs"), "scripts/plan.ts"];
      const run = spawnSync(process.execPath, [...cli, "staging", "--base", "HEAD", "--at", AT], {
        cwd: repo,
        encoding: "utf8",
        env: { ...process.env, NODE_OPTIONS: "", TMPDIR: own },
      });
      assert.equal(run.status, 1, run.stderr);
      assert.match(run.stderr, /^the plan of the working tree failed:\nstack "staging": /);
      assert.match(run.stderr, /20270303000000/);
      assert.doesNotMatch(run.stderr, /Node\.js v|\n\s+at /, "no stack trace");
      const left = fs.readdirSync(own).filter((f) => f.startsWith("plan-base-"));
      assert.deepEqual(left, [], "the extracted tree is deleted");
    } finally {
      fs.writeFileSync(staging, good);
      fs.unlinkSync(path.join(repo, "node_modules"));
    }
  });

  it("names a value set again under a listed version, from the stack files' ciphertext", async () => {
    const staging = fs.readFileSync(path.join(repo, "Pulumi.staging.yaml"), "utf8");
    const withValues = (b: string) =>
      staging
        .replace("config:\n", "config:\n  secret-rotation:environment: staging\n")
        .replace(/^ +api_token: \{ length: 48 \}\n/m, "")
        .replace(/^( +)("\d{14}"): \{\}$/gm, (_m, pad: string, id: string) =>
          [
            `${pad}${id}:`,
            `${pad}  api_token: { secure: v1:${id === '"20261110100000"' ? b : "AAAA"} }`,
          ].join("\n"),
        );
    commitOnTop("values", "Pulumi.vals.yaml", withValues("BBBB"));
    const file = path.join(repo, "Pulumi.vals.yaml");
    fs.writeFileSync(file, withValues("CCCC"));
    try {
      const { code, out, err } = await diff("vals", "values");
      assert.equal(code, 0, err);
      assert.match(
        out,
        /values set again \([^\n]*add a new version instead\): 20261110100000\.api_token$/m,
      );
      assert.doesNotMatch(out, /BBBB|CCCC/);
    } finally {
      fs.unlinkSync(file);
    }
  });

  it("plans the ref with the ref's own program: a change to Secret names rolls the workloads", async () => {
    // At the ref, the program named each version's Secret `<secret>-v<version>`.
    const names = fs
      .readFileSync(path.join(repo, "core", "names.ts"), "utf8")
      .replace("`${secret}-${version}`", "`${secret}-v${version}`");
    assert.match(names, /-v\$\{version\}/);
    commitOnTop("old-names", "core/names.ts", names);
    const { code, out, err } = await diff("staging", "old-names");
    assert.equal(code, 0, err);
    assert.doesNotMatch(out, /versions added|versions removed|active:/);
    assert.match(
      out,
      /auth-service \(Deployment\): auth-api-secrets-v20261201100000 → auth-api-secrets-20261201100000/,
    );
    assert.match(
      out,
      /version 20261110100000 renamed: auth-api-secrets-v20261110100000 → auth-api-secrets-20261110100000 \(the old one is deleted\)/,
    );
  });

  it("the plan CLI takes --base (an unknown ref exits 2 naming it)", async () => {
    const { code, err } = await runPlan("staging", "--base", "refs/heads/no-such-branch");
    assert.equal(code, 2);
    assert.match(err, /--base refs\/heads\/no-such-branch: unknown git ref/);
  });
});
