/**
 * Writes what derives from the config contract: the config reference page `docs/config-reference.md` (between
 * its `config-reference` markers) and `schema/stack-config.schema.json`. `npm run docs` runs it;
 * `tests/contract.test.ts` fails when either file is not what this would write.
 */
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { configReferenceTable } from "../config/zod/reference";
import { stackFileSchema } from "../config/contract/stack";
import { PROJECT_DIR } from "../offline";

export const REFERENCE = path.join(PROJECT_DIR, "docs", "config-reference.md");
export const SCHEMA_FILE = path.join(PROJECT_DIR, "schema", "stack-config.schema.json");
export const START = "<!-- config-reference:start (written by npm run docs) -->";
export const END = "<!-- config-reference:end -->";

/** The reference page with its table replaced by the contract's, formatted as committed. */
export async function pageWithReference(page: string): Promise<string> {
  const start = page.indexOf(START);
  const end = page.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`docs/config-reference.md lacks the ${START} ... ${END} markers`);
  const text = `${page.slice(0, start + START.length)}\n\n${configReferenceTable()}\n\n${page.slice(end)}`;
  return prettier.format(text, {
    ...(await prettier.resolveConfig(REFERENCE)),
    filepath: REFERENCE,
  });
}

/** The schema file's text, formatted as committed. */
export async function schemaText(): Promise<string> {
  return prettier.format(JSON.stringify(stackFileSchema()), {
    ...(await prettier.resolveConfig(SCHEMA_FILE)),
    filepath: SCHEMA_FILE,
  });
}

async function main(): Promise<void> {
  fs.writeFileSync(REFERENCE, await pageWithReference(fs.readFileSync(REFERENCE, "utf8")));
  fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
  fs.writeFileSync(SCHEMA_FILE, await schemaText());
  console.log(
    `wrote ${path.relative(PROJECT_DIR, REFERENCE)} and ${path.relative(PROJECT_DIR, SCHEMA_FILE)}`,
  );
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
