/**
 * `npm run plan -- <stack> --base <git-ref>`: the rotation diff between the stack file and the
 * program at a git ref (a pull request's base) and the working tree. No credentials, network or
 * cluster: the ref's tree is extracted (`git archive`) into a temporary folder outside the
 * repository, its own offline plan runs there in JSON with this checkout's node_modules, the
 * working tree's plan runs here, and the two are compared (planDiff.ts). Both sides get the same
 * clock and the same memory files, so what differs is what the pull request changes.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR, qualifiedStackProblem } from "../offline";
import { type PlanJson, diffPlans } from "./planDiff";
import { valueEdits } from "./planValueEdits";
import { renderDiff } from "./planDiffRender";

export interface BaseRun {
  /** The working tree's project folder (the one holding `scripts/plan.ts`). */
  root: string;
  stack: string;
  /** The git ref given to `--base`. */
  ref: string;
  /** `--dir` as given (resolved from the current folder), when given. */
  dir?: string;
  /** The clock both plans use, resolved once. */
  at: string;
  /** Options passed to both plans as they are (`--previous-outputs FILE`, ...). */
  passthrough: string[];
  json: boolean;
}

/** A plan run's result, as the CLI's `main` gives it with its output captured. */
export interface PlanResult {
  code: number;
  out: string;
  err: string;
}

/** A usage error: exits 2, as a bad option or a missing file does for the plan. */
class UsageError extends Error {}

function git(cwd: string, args: string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] })
    .toString()
    .trim();
}

/**
 * The commit `ref` names in the repository at `cwd`, or a usage error naming the ref.
 * `rev-parse --verify --quiet <ref>^{commit}` exits non-zero, printing nothing, when the name is
 * not a valid object, and `^{commit}` refuses a name that peels to no commit (git-rev-parse(1),
 * `--verify`, `--quiet`, and gitrevisions(7), `<rev>^{<type>}`).
 */
function resolveRef(cwd: string, ref: string): string {
  if (ref.startsWith("-") || ref === "") {
    // git would read it as an option.
    throw new UsageError(`--base ${ref}: not a git ref (a branch, tag or commit; not "-...")`);
  }
  try {
    return git(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  } catch {
    throw new UsageError(
      `--base ${ref}: unknown git ref: no commit of that name in ${cwd} (fetch it first, such as git fetch origin main, then --base origin/main)`,
    );
  }
}

/** `git cat-file -e <commit>:<path>` exits 0 when the path is in that tree (git-cat-file(1), -e). */
function existsAt(cwd: string, commit: string, file: string): boolean {
  try {
    git(cwd, ["cat-file", "-e", `${commit}:${file}`]);
    return true;
  } catch {
    return false;
  }
}

/** `git diff --quiet <commit> -- <file>` exits 0 when the working tree's file is as at the commit (git-diff(1), --quiet). */
function unchangedSince(cwd: string, commit: string, file: string): boolean {
  try {
    git(cwd, ["diff", "--quiet", commit, "--", file]);
    return true;
  } catch {
    return false;
  }
}

/** Runs the plan at `project` (the ref's extracted tree) in a child process; its result. */
function runPlanAt(project: string, args: string[]): Promise<PlanResult> {
  const env = { ...process.env };
  delete env.ROTATION_NOW;
  // tsx/cjs from this checkout: the extracted tree has no node_modules of its own.
  const child = spawn(
    process.execPath,
    ["--require", require.resolve("tsx/cjs"), path.join(project, "scripts", "plan.ts"), ...args],
    { cwd: project, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on("data", (c: Buffer) => out.push(c));
  child.stderr.on("data", (c: Buffer) => err.push(c));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code: code ?? 2,
        out: Buffer.concat(out).toString("utf8"),
        err: Buffer.concat(err).toString("utf8").trim(),
      }),
    );
  });
}

/**
 * Extracts `commit`'s tree into `into` and links this checkout's node_modules into it. Node
 * resolves a package required through a symlinked folder to its real path (Node CLI docs,
 * `--preserve-symlinks`: "By default ... Node.js will dereference the link and use the actual
 * on-disk real path"), so the ref's program loads the same installed packages as this one.
 * `git archive` leaves out files marked `export-ignore` in .gitattributes (git-archive(1),
 * ATTRIBUTES); this repository marks none.
 */
function extract(top: string, commit: string, into: string, projectRel: string): string {
  const tar = execFileSync("git", ["archive", "--format=tar", commit], {
    cwd: top,
    maxBuffer: 1 << 30,
  });
  execFileSync("tar", ["-x", "-C", into], { input: tar });
  const project = path.join(into, projectRel);
  if (!fs.existsSync(path.join(project, "scripts", "plan.ts"))) {
    throw new UsageError(
      `--base: the tree at that ref has no ${path.posix.join(projectRel, "scripts/plan.ts")}: it predates the offline plan, so it cannot be planned`,
    );
  }
  const modules = path.join(project, "node_modules");
  if (!fs.existsSync(modules)) fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), modules);
  return project;
}

/**
 * A plan that did not run to its own error: Node ends a process on an uncaught exception with
 * the error's stack and a last line `Node.js v<version>` (lib/internal/process/execution.js,
 * since Node 18), and `plan` prints neither for a refused config. What is kept: the error's own
 * line, such as `Error: Cannot find module 'x'`, and why it likely happened.
 */
function crashOf(result: PlanResult, lockfileDiffers: boolean): PlanResult | undefined {
  if (result.code === 0 || !/\nNode\.js v\d+\S*\s*$/.test(result.err)) return undefined;
  const line = /^(?:[A-Z]\w*)?Error(?: \[\w+\])?: .*$/m.exec(result.err)?.[0] ?? "it crashed";
  const why = lockfileDiffers
    ? "package-lock.json differs between the two sides, and both run with the packages installed here: plan the ref from a checkout of it, or run the diff on a branch that keeps the ref's packages"
    : "run that side alone (npm run plan -- <stack>) to see the whole error";
  return { code: 2, out: "", err: `${line}\n(the program did not run: ${why})` };
}

function parsePlan(side: string, result: PlanResult): PlanJson {
  try {
    return JSON.parse(result.out) as PlanJson;
  } catch (err) {
    throw new Error(`the plan ${side} printed no JSON: ${(err as Error).message}`);
  }
}

/**
 * Runs both plans and prints the diff (or, with `json`, the diff as data). `runHead` runs the
 * working tree's plan with the given arguments. Returns the exit code: 0 printed, 1 a plan
 * failed on its config or the staging gate (its error is printed, naming the side), 2 bad usage
 * (an unknown ref, no such stack file on either side, a folder outside the repository).
 */
export async function planAgainstBase(
  run: BaseRun,
  io: { out: (t: string) => void; err: (t: string) => void },
  runHead: (args: string[]) => Promise<PlanResult>,
): Promise<number> {
  let temp: string | undefined;
  try {
    let top: string;
    try {
      top = git(run.root, ["rev-parse", "--show-toplevel"]);
    } catch {
      throw new UsageError(`--base ${run.ref}: ${run.root} is not in a git repository`);
    }
    top = fs.realpathSync(top);
    const root = fs.realpathSync(run.root);
    const commit = resolveRef(top, run.ref);
    const folder = run.dir ? path.resolve(run.dir) : root;
    const folderRel = path.relative(top, fs.existsSync(folder) ? fs.realpathSync(folder) : folder);
    if (folderRel.startsWith("..") || path.isAbsolute(folderRel)) {
      throw new UsageError(`--dir ${run.dir}: outside the repository ${top}`);
    }
    const qualified = qualifiedStackProblem(run.stack);
    if (qualified) throw new UsageError(qualified);
    const fileName = `Pulumi.${run.stack}.yaml`;
    const stackFile = path.posix.join(folderRel.split(path.sep).join("/"), fileName);
    const atRef = existsAt(top, commit, stackFile);
    const inTree = fs.existsSync(path.join(folder, fileName));
    if (!atRef && !inTree) {
      throw new UsageError(
        `--base ${run.ref}: no stack file ${stackFile}, neither at ${run.ref} (${commit.slice(0, 12)}) nor in the working tree: check the stack name (or --dir)`,
      );
    }
    if (!inTree) {
      throw new UsageError(
        `--base ${run.ref}: ${stackFile} is at ${run.ref} but not in the working tree: the change removes the stack file, and a removed stack file plans nothing`,
      );
    }
    const args = (dir: string) => [run.stack, "--json", "--at", run.at, "--dir", dir];
    let base: Promise<PlanResult> | undefined;
    if (atRef) {
      temp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-base-"));
      const project = extract(top, commit, temp, path.relative(top, root));
      base = runPlanAt(project, [...args(path.join(temp, folderRel)), ...run.passthrough]);
    }
    // Both settle before the temporary folder goes (the finally below), even if one throws.
    const [headRun, baseRun] = await Promise.allSettled([
      runHead([...args(folder), ...run.passthrough]),
      base ?? Promise.resolve(undefined),
    ]);
    if (headRun.status === "rejected") throw headRun.reason;
    if (baseRun.status === "rejected") throw baseRun.reason;
    const lockfileDiffers = !unchangedSince(top, commit, "package-lock.json");
    const head = crashOf(headRun.value, lockfileDiffers) ?? headRun.value;
    const before = baseRun.value && (crashOf(baseRun.value, lockfileDiffers) ?? baseRun.value);
    // Every failure at once: the ref's, then the working tree's.
    const ref = `at ${run.ref} (${commit.slice(0, 12)})`;
    const failed = [
      { side: ref, result: before },
      { side: "of the working tree", result: head },
    ].filter((f): f is { side: string; result: PlanResult } => (f.result?.code ?? 0) !== 0);
    for (const f of failed) io.err(`the plan ${f.side} failed:\n${f.result.err}`);
    if (failed.length > 0) return failed.some((f) => f.result.code !== 1) ? 2 : 1;
    const diff = diffPlans(
      before && parsePlan(`at ${run.ref}`, before),
      parsePlan("of the working tree", head),
    );
    const edits = valueEdits(
      atRef ? git(top, ["show", `${commit}:${stackFile}`]) : undefined,
      fs.readFileSync(path.join(folder, fileName), "utf8"),
    );
    for (const [name, changed] of edits) {
      const d = Object.hasOwn(diff.secrets, name) ? diff.secrets[name] : undefined;
      if (!d) continue;
      d.valuesChanged = changed;
      if (d.change === "unchanged") d.change = "changed";
    }
    const header = {
      stack: run.stack,
      ref: run.ref,
      commit,
      at: run.at,
      stackFile,
      newStackFile: !atRef,
    };
    io.out(run.json ? JSON.stringify({ ...header, ...diff }, null, 2) : renderDiff(header, diff));
    return 0;
  } catch (err) {
    io.err((err as Error).message);
    return err instanceof UsageError ? 2 : 1;
  } finally {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  }
}
