/**
 * Every source file stays short enough to read in one sitting (issue 18: "the largest source
 * file is under 350 lines"), tests included.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const FOLDERS = [
  "core",
  "components",
  "config",
  "plan",
  "reads",
  "program",
  "offline",
  "fakes",
  "scripts",
  "bench",
  "examples",
  "tests",
];
const MAX_LINES = 350;

/** Lines as `wc -l` counts them (a final newline ends the last line, it starts no new one). */
function lineCount(file: string): number {
  const text = fs.readFileSync(file, "utf8");
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** The project's own source files under `dir` (TypeScript and JavaScript modules). */
function sources(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sources(full);
    return /\.(ts|mjs|cjs)$/.test(entry.name) ? [full] : [];
  });
}

describe("source files", () => {
  it(`are each under ${MAX_LINES} lines, tests included`, () => {
    const files = [
      path.join(ROOT, "index.ts"),
      ...FOLDERS.flatMap((f) => sources(path.join(ROOT, f))),
    ];
    assert.ok(files.length > 50, `found only ${files.length} source files`);
    const long = files
      .map((file) => ({ file, lines: lineCount(file) }))
      .filter(({ lines }) => lines >= MAX_LINES)
      .map(({ file, lines }) => `${path.relative(ROOT, file)}: ${lines} lines`);
    assert.deepEqual(long, [], `files of ${MAX_LINES} lines or more:\n${long.join("\n")}`);
  });
});
