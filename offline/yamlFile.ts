/**
 * A YAML file read the way Pulumi's reader (gopkg.in/yaml.v3) reads it, or refused where that
 * reader refuses it: a syntax error, a key written twice (quoted or not), a merge key whose
 * value cannot be merged, a NaN or infinite number, an alias bomb. Each error names the file,
 * the line and column and, under `config:`, the `pulumi config set --path` path.
 */
import { join } from "../core/problems";
import * as YAML from "yaml";
import { resolveScalarsAsYamlV3 } from "./yamlV3Scalars";

/** "line:column" (1-based) of an offset in a text. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split("\n");
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/**
 * A scalar key's text as yaml.v3 compares it (Node.Value), or undefined for another node. A
 * plain `<<` is parsed as the merge key, whose value here is a Symbol: its text is still "<<".
 */
function keyText(key: unknown): string | undefined {
  if (!YAML.isScalar(key)) return undefined;
  return typeof key.value === "symbol" ? (key.value.description ?? "") : String(key.value);
}

/** Whether a pair's key is the merge key (a plain `<<`, parsed with `merge: true`). */
function isMergeKey(key: unknown): boolean {
  return YAML.isScalar(key) && typeof key.value === "symbol" && key.value.description === "<<";
}

/**
 * The `pulumi config set --path` path of a node from its ancestors: map keys joined with `.`,
 * list items as `[i]`, the stack file's `config:` section left out (it holds the config keys
 * themselves). Undefined when the node is not under `config:`.
 */
function configPath(ancestors: readonly unknown[], node: unknown): string | undefined {
  let out = "";
  const chain = [...ancestors, node];
  for (let i = 0; i < chain.length; i++) {
    const n = chain[i];
    if (YAML.isPair(n)) {
      const key = keyText(n.key) ?? "?";
      out = out === "" ? key : join(out, key);
    } else if (YAML.isSeq(n)) {
      out += `[${n.items.indexOf(chain[i + 1])}]`;
    }
  }
  if (out !== "config" && !out.startsWith("config.")) return undefined;
  return out.slice("config.".length);
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
        // A merge key counts too: yaml.v3 compares every key of the map, so `<<` written twice
        // (or `<<` and "<<") is refused there as well. Keys brought in by a merge are not
        // compared (decoder.merge lets the map's own keys win instead).
        const key = keyText(pair.key);
        if (key === undefined) continue;
        // yaml.v3 compares the written text (`1.0` and "1.0" are one key there); Pulumi then
        // keys the object by the value's text (object.go unmarshalObject, fmt.Sprintf("%v", k)),
        // so `1` and `01` become one key and one value is silently dropped. Both are refused.
        const source = (pair.key as YAML.Scalar).source;
        const first =
          seen.get(`value:${key}`) ??
          (typeof source === "string" ? seen.get(`source:${source}`) : undefined);
        if (!first) {
          seen.set(`value:${key}`, pair);
          if (typeof source === "string") seen.set(`source:${source}`, pair);
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
 * A merge key whose value yaml.v3 cannot merge. Pulumi's reader (yaml.v3 v3.0.1 decode.go
 * `decoder.merge`) takes a map, an alias of a map, or a list of maps and aliases of maps, and
 * refuses anything else: "map merge requires map or sequence of maps as the value". It
 * resolves a valid merge as the `yaml` package's `merge: true` does (decode.go
 * `decoder.mapping` / `merge`): the map's own keys win over merged ones wherever they stand,
 * and among merged maps the first one listed wins. Returns "line:col: what".
 */
function mergeProblem(doc: YAML.Document, text: string): string | undefined {
  const isMapNode = (node: unknown): boolean =>
    YAML.isMap(node) || (YAML.isAlias(node) && YAML.isMap(node.resolve(doc)));
  let found: string | undefined;
  YAML.visit(doc, {
    Pair(_key, pair, ancestors) {
      if (!isMergeKey(pair.key)) return undefined;
      const value = pair.value;
      if (isMapNode(value) || (YAML.isSeq(value) && value.items.every(isMapNode))) {
        return undefined;
      }
      const path = configPath(ancestors, pair) ?? "<<";
      const at = lineAndColumn(text, (pair.key as YAML.Scalar).range?.[0] ?? 0);
      found = `${at}: ${path}: a merge key (<<) takes a map, an alias of a map (<<: *name) or a list of them; Pulumi's YAML reader (yaml.v3) refuses anything else: "map merge requires map or sequence of maps as the value"`;
      return YAML.visit.BREAK;
    },
  });
  return found;
}

/**
 * Why a NaN or infinite number is refused: Pulumi keeps each config value as JSON
 * (sdk/go/common/resource/config/object.go `object.MarshalString` -> `json.Marshal`, called by
 * value.go `Value.UnmarshalYAML`, called by map.go `Map.UnmarshalYAML` as the stack file's
 * `config:` is read, v3.248.0), and Go's encoding/json refuses NaN and ±Inf, so `pulumi up`
 * fails reading the stack file ("could not unmarshal map: json: unsupported value: NaN").
 * JSON.stringify would instead write null here, which reads as "not set" (the default).
 */
const NON_FINITE_WHY =
  ', which Pulumi refuses: it keeps each config value as JSON, and JSON has no NaN or infinity (encoding/json "unsupported value"), so pulumi up fails reading the stack file. Write a number';

/** The first NaN or infinite number written in `config:` (a value, not a key). */
function nonFiniteNumber(doc: YAML.Document, text: string): string | undefined {
  let found: string | undefined;
  YAML.visit(doc, {
    Scalar(key, node, ancestors) {
      if (key === "key" || typeof node.value !== "number" || Number.isFinite(node.value)) {
        return undefined;
      }
      const path = configPath(ancestors, node);
      if (path === undefined) return undefined;
      const [start, end] = node.range ?? [0, 0];
      found = `${lineAndColumn(text, start)}: ${path} is ${text.slice(start, end)}${NON_FINITE_WHY}`;
      return YAML.visit.BREAK;
    },
  });
  return found;
}

/** The path and text of the first non-finite number inside a parsed value. */
function nonFinitePath(value: unknown, path: string): { path: string; text: string } | undefined {
  if (typeof value === "number") {
    return Number.isFinite(value) ? undefined : { path, text: String(value) };
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nonFinitePath(value[i], `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      const found = nonFinitePath(v, path === "" ? k : join(path, k));
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * A YAML file's content, or an error naming the file and, where the parser knows it, the
 * line and column (a syntax error, or an alias bomb that the parser's alias limit stops).
 */
export function parseYamlFile(text: string, file: string): unknown {
  // `merge: true`: yaml.v3 always resolves `<<` merge keys (see mergeProblem).
  const doc = YAML.parseDocument(text, { prettyErrors: true, merge: true });
  resolveScalarsAsYamlV3(doc);
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
  const merge = mergeProblem(doc, text);
  if (merge) throw new Error(`${file}:${merge}`);
  const nonFinite = nonFiniteNumber(doc, text);
  if (nonFinite) throw new Error(`${file}:${nonFinite}`);
  let value: unknown;
  try {
    // The parser's alias limit (maxAliasCount 100) refuses a billion-laughs document here.
    value = doc.toJS({ maxAliasCount: 100 }) as unknown;
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
  // A NaN or infinity brought into `config:` by an alias or a merge, whose scalar stands
  // elsewhere in the file: refused by its config path.
  const config = (value as { config?: unknown } | null)?.config;
  const inside = config === undefined ? undefined : nonFinitePath(config, "");
  if (inside) throw new Error(`${file}: ${inside.path} is ${inside.text}${NON_FINITE_WHY}`);
  return value;
}
