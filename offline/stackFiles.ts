/**
 * Stack files read as the Pulumi CLI would hand them to the program: a `Pulumi.<stack>.yaml`
 * becomes the flat `project:key` → text map of `pulumi config`, with every `secure:` value
 * replaced (it cannot be decrypted offline). Used by the offline plan, the bench and the tests.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { dict } from "../components/config/dict";
import { PROJECT } from "../components/project";

/** The project folder: where `Pulumi.yaml`, `Pulumi.<stack>.yaml` and `index.ts` live. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/** What replaces an encrypted (`secure:`) config value offline: it cannot be decrypted here. */
export const SECURE_PLACEHOLDER = "<encrypted: not decrypted offline>";

/** A stack's config as the CLI hands it to a program: every value as text, JSON for objects. */
export interface StackConfig {
  config: Record<string, string>;
  /** Keys that hold a secret (`secure:`) anywhere inside. */
  secretKeys: string[];
}

/** Replaces every `secure:` value with the placeholder; says whether any was found. */
function replaceSecure(value: unknown): { value: unknown; secure: boolean } {
  if (Array.isArray(value)) {
    const items = value.map(replaceSecure);
    return { value: items.map((i) => i.value), secure: items.some((i) => i.secure) };
  }
  if (typeof value === "object" && value !== null) {
    const obj = value as Record<string, unknown>;
    if (Object.keys(obj).length === 1 && typeof obj.secure === "string") {
      return { value: SECURE_PLACEHOLDER, secure: true };
    }
    let secure = false;
    const out = dict<unknown>();
    for (const [k, v] of Object.entries(obj)) {
      const r = replaceSecure(v);
      out[k] = r.value;
      secure ||= r.secure;
    }
    return { value: out, secure };
  }
  return { value, secure: false };
}

/** "line:column" (1-based) of an offset in a text. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** A scalar key as it becomes a JS object's key, or undefined for another node. */
function keyText(key: unknown): string | undefined {
  return YAML.isScalar(key) ? String(key.value) : undefined;
}

/**
 * The first key written twice in one map, which the `yaml` package takes for two keys when
 * one is quoted and one not (`"20250101000000":` is a string, `20250101000000:` a number), so
 * that `toJS` silently keeps one. Pulumi reads `Pulumi.<stack>.yaml` through
 * sdk/go/common/encoding/marshal.go yamlMarshaler.Unmarshal, that is gopkg.in/yaml.v3,
 * whose decode.go `decoder.mapping` compares keys by their text alone (`ni.Kind == nj.Kind &&
 * ni.Value == nj.Value`, quoting ignored) and refuses the file: "mapping key ... already
 * defined at line N" (yaml.v3 v3.0.1). Returns "line:col: what", naming the config path.
 */
function duplicateKey(doc: YAML.Document, text: string): string | undefined {
  let found: string | undefined;
  YAML.visit(doc, {
    Map(_key, map, ancestors) {
      const seen = new Map<string, YAML.Pair>();
      for (const pair of map.items) {
        const key = keyText(pair.key);
        // `<<` is a merge key, not a field.
        if (key === undefined || key === "<<") continue;
        const first = seen.get(key);
        if (!first) {
          seen.set(key, pair);
          continue;
        }
        const parents = ancestors
          .filter((n): n is YAML.Pair => YAML.isPair(n))
          .map((n) => keyText(n.key) ?? "?");
        // The stack file's `config:` section holds the `pulumi config` keys themselves.
        if (parents[0] === "config") parents.shift();
        const where = (p: YAML.Pair) => lineAndColumn(text, (p.key as YAML.Scalar).range?.[0] ?? 0);
        found = `${where(pair)}: ${[...parents, key].join(".")} is written twice in one map (first at ${where(first)}); quoted or not it is one key: Pulumi's YAML reader (yaml.v3) refuses a mapping key already defined, and one of the two would be silently dropped here. Write it once`;
        return YAML.visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * A YAML file's content, or an error naming the file and, where the parser knows it, the
 * line and column (a syntax error, or an alias bomb that the parser's alias limit stops).
 */
export function parseYamlFile(text: string, file: string): unknown {
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  // The parser refuses a key written twice alike ("Map keys must be unique", no field named):
  // say which config path, as for a quoted and an unquoted one below.
  const duplicate = duplicateKey(doc, text);
  if (first?.code === "DUPLICATE_KEY" && duplicate) throw new Error(`${file}:${duplicate}`);
  if (first) {
    const at = first.linePos?.[0];
    throw new Error(`${file}${at ? `:${at.line}:${at.col}` : ""}: ${first.message.split("\n")[0]}`);
  }
  if (duplicate) throw new Error(`${file}:${duplicate}`);
  try {
    // The parser's alias limit (maxAliasCount 100) refuses a billion-laughs document here.
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    // Name where the first alias stands, since the limit's error carries no position.
    let offset: number | undefined;
    YAML.visit(doc, {
      Alias(_key, node) {
        offset = node.range?.[0];
        return YAML.visit.BREAK;
      },
    });
    const at = offset === undefined ? "" : `:${lineAndColumn(text, offset)} (first alias)`;
    throw new Error(`${file}${at}: ${(err as Error).message}`);
  }
}

/** The config of a `Pulumi.<stack>.yaml` text, as the CLI would pass it (ciphertext replaced). */
export function stackConfigFromYaml(text: string, file = "stack file"): StackConfig {
  const parsed = parseYamlFile(text, file) ?? {};
  if (typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`${file}: a stack file is a YAML map with a config: section`);
  }
  const doc = parsed as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, raw] of Object.entries(doc.config ?? {})) {
    const { value, secure } = replaceSecure(raw);
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
    if (secure) secretKeys.push(key);
  }
  return { config, secretKeys };
}

/** Reads `Pulumi.<stack>.yaml` from the project folder. */
export function readStackFile(stack: string, dir = PROJECT_DIR): StackConfig {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new Error(`no stack file ${file}: create it with "pulumi stack init ${stack}"`);
  }
  return stackConfigFromYaml(fs.readFileSync(file, "utf8"), file);
}

/** Project config (`secret-rotation:*`) from plain objects: each value JSON unless text. */
export function projectConfig(values: Record<string, unknown>): StackConfig {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue;
    config[`${PROJECT}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { config, secretKeys: Object.keys(config) };
}
