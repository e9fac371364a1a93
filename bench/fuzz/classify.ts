/**
 * The fuzzer's classifier: runs a mutated file as `npm run plan -- <stack>` would and puts it
 * in a class by its verdict and whether the error names the mutated path; then the counts per
 * class and family, and the listing of a class.
 */
import * as path from "path";
import { ConfigError } from "../../config/errors";
import {
  PROJECT_DIR,
  type ProgramRun,
  fileLiveReader,
  runProgram,
  stackConfigFromYaml,
} from "../../offline";
import { fileReader } from "../../scripts/plan";
import { FAMILIES } from "./families";
import {
  CLASSES,
  FUZZ_NOW,
  type FuzzClass,
  type FuzzFile,
  type FuzzResult,
  NS,
  type Spec,
} from "./model";

/** Whether a problem at `at` (or a file error's text) names the mutated path. */
function names(spec: Spec, at: string): boolean {
  if (spec.path === "") return true;
  return [spec.path, ...(spec.alsoPaths ?? [])].some(
    (p) => at === p || at.startsWith(`${p}.`) || at.startsWith(`${p}[`),
  );
}

/**
 * Runs one file as `npm run plan -- <stack>` would (scripts/plan.ts main): the file's config,
 * then the program with no outputs, cluster or AWS file. Throws when the file itself is refused.
 */
export function planFuzzFile(file: FuzzFile): Promise<ProgramRun> {
  const config = stackConfigFromYaml(file.text, path.join(PROJECT_DIR, file.base.file));
  return runProgram({
    stack: file.base.stack,
    config,
    now: FUZZ_NOW,
    readers: { outputs: fileReader({}), live: fileLiveReader({}) },
  });
}

/** Runs one file as `npm run plan -- <stack>` would, and classifies it. */
export async function classify(file: FuzzFile): Promise<FuzzResult> {
  const { spec } = file;
  const wrong = (accepted: boolean): FuzzClass =>
    accepted ? "accepted-but-refused-upstream" : "refused-but-accepted-upstream";
  let error: Error | undefined;
  let named = false;
  try {
    const run = await planFuzzFile(file);
    error = run.error;
    if (error instanceof ConfigError) {
      named = error.problems.some((p) => names(spec, p.key ? p.key : p.path));
    } else if (error) {
      return {
        file,
        class: "internal-error",
        message: error.stack?.split("\n").slice(0, 4).join("\n"),
      };
    }
  } catch (err) {
    // The stack file itself is refused (YAML syntax, a duplicate key): the plan's usage error.
    error = err as Error;
    const text = error.message;
    named =
      spec.path === "" ||
      [spec.path, ...(spec.alsoPaths ?? [])].some(
        (p) => text.includes(`${NS}${p}`) || text.includes(p),
      );
  }
  const message = error?.message.split("\n").slice(0, 6).join("\n");
  if (!error) {
    return { file, class: spec.verdict === "accepted" ? "ok-accepted" : wrong(true) };
  }
  if (spec.verdict === "accepted") return { file, class: wrong(false), message };
  return { file, class: named ? "ok-refused" : "refused-without-naming-field", message };
}

/**
 * Runs every file one at a time (the mock runtime is process-wide). A failed run's outputs
 * reject after the run returned (the SDK's root stack registers them in a `finally`); those
 * rejections are the run's own error, already classified, so they are swallowed here.
 */
export async function runAll(files: readonly FuzzFile[]): Promise<FuzzResult[]> {
  const swallow = () => undefined;
  process.on("unhandledRejection", swallow);
  try {
    const results: FuzzResult[] = [];
    for (const file of files) results.push(await classify(file));
    return results;
  } finally {
    process.off("unhandledRejection", swallow);
  }
}
/** Counts per class, then per family and class, as text. */
export function report(results: readonly FuzzResult[]): string {
  const count = (rs: readonly FuzzResult[]) =>
    CLASSES.map((c) => rs.filter((r) => r.class === c).length);
  const lines = [`${results.length} files`, "", "CLASS                            FILES"];
  count(results).forEach((n, i) => lines.push(`${CLASSES[i].padEnd(33)}${n}`));
  lines.push(
    "",
    `FAMILY${" ".repeat(34)}${CLASSES.map((_, i) => `c${i + 1}`.padStart(5)).join("")}`,
  );
  for (const family of FAMILIES) {
    const rs = results.filter((r) => r.file.family === family);
    if (rs.length === 0) continue;
    lines.push(
      `${family.name.padEnd(40)}${count(rs)
        .map((n) => String(n).padStart(5))
        .join("")}`,
    );
  }
  lines.push("", CLASSES.map((c, i) => `c${i + 1} = ${c}`).join(", "));
  return lines.join("\n");
}

/** One line per file, with the error's first lines. */
export function listing(results: readonly FuzzResult[]): string {
  return results
    .map(
      (r) =>
        `${r.file.id} ${r.file.spec.what} (path ${r.file.spec.path || "-"}, upstream ${r.file.spec.verdict}: ${r.file.family.rule})` +
        (r.message ? `\n    ${r.message.split("\n").join("\n    ")}` : ""),
    )
    .join("\n");
}
