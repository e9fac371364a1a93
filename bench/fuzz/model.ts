/**
 * The stack-file fuzzer's vocabulary: the classes a file lands in, what a family and a
 * mutation are, the base stack file they mutate, the seeded PRNG and the editor a mutation
 * edits the file through. Shared by the families, the corpus, the classifier and the CLI
 * (`bench/fuzzStacks.ts`).
 */
import * as YAML from "yaml";
import { PROJECT } from "../../core/project";

/** The plan's clock for every file: after every committed version id, before any "future" one. */
export const FUZZ_NOW = "2026-11-20T00:00:00.000Z";

export type Verdict = "accepted" | "refused";
export const CLASSES = [
  "ok-accepted",
  "ok-refused",
  "accepted-but-refused-upstream",
  "refused-but-accepted-upstream",
  "refused-without-naming-field",
  "internal-error",
] as const;
export type FuzzClass = (typeof CLASSES)[number];

/** A family of mutations and the rule that decides their verdicts. */
export interface Family {
  name: string;
  /** The upstream rule: repository, path, function, version. */
  rule: string;
  make: (base: Base) => Spec[];
}

/** One mutation of a base stack file. */
export interface Spec {
  /** What was changed, for the listing. */
  what: string;
  /** The config path touched, as `pulumi config set --path` takes it (without the namespace). */
  path: string;
  /** Other paths an error may name instead (a renamed entry is reported at its new path). */
  alsoPaths?: string[];
  verdict: Verdict;
  edit: (e: Editor) => void;
}

/** A committed stack file and what the mutations aim at. */
export interface Base {
  /** Relative to the project folder. */
  file: string;
  stack: string;
  text: string;
  environment: string;
  /** The first secret, its active version and its versions. */
  secret: string;
  active: string;
  versions: string[];
  generated: string[];
  hasMonitor: boolean;
  hasPromotion: boolean;
  /** A Deployment and a CronJob the program owns, when the stack has them. */
  deployment?: string;
  cronJob?: string;
  secretNames: string[];
}

/** A mutated file and its verdict. */
export interface FuzzFile {
  id: string;
  family: Family;
  base: Base;
  spec: Spec;
  text: string;
}

export interface FuzzResult {
  file: FuzzFile;
  class: FuzzClass;
  /** The error's first lines, when refused. */
  message?: string;
}

export const NS = `${PROJECT}:`;
export type Key = string | number;
/** The document path of a project config key, then the keys inside it. */
export const cfg = (field: string, ...rest: Key[]): Key[] => ["config", NS + field, ...rest];

/** A seeded PRNG (mulberry32): the same seed, the same files. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Edits one parsed stack file. `raw` puts YAML text in place verbatim (`7.0`, `.nan`, `''`),
 * so a scalar is written exactly as a user would type it; `text` edits the rendered file.
 */
export class Editor {
  readonly doc: YAML.Document;
  private readonly raws: string[] = [];
  private readonly textEdits: ((text: string) => string)[] = [];
  constructor(
    readonly base: Base,
    readonly random: () => number,
  ) {
    this.doc = YAML.parseDocument(base.text);
  }
  /** A placeholder scalar that becomes `yaml` verbatim in the file. */
  raw(yaml: string): YAML.Scalar {
    this.raws.push(yaml);
    return new YAML.Scalar(`fuzzraw${this.raws.length - 1}x`);
  }
  set(at: Key[], value: unknown): void {
    this.doc.setIn(at, value instanceof YAML.Scalar ? value : this.doc.createNode(value));
  }
  get(at: Key[]): unknown {
    const node = this.doc.getIn(at, true);
    return YAML.isNode(node) ? node.toJSON() : node;
  }
  delete(at: Key[]): void {
    this.doc.deleteIn(at);
  }
  /** Renames a map key in place (keeping its position and value). */
  renameKey(mapAt: Key[], from: string, to: string): void {
    const map = this.doc.getIn(mapAt, true);
    if (!YAML.isMap(map)) throw new Error(`no map at ${mapAt.join(".")}`);
    const pair = map.items.find((p) => YAML.isScalar(p.key) && String(p.key.value) === from);
    if (!pair) throw new Error(`no key ${from} at ${mapAt.join(".")}`);
    pair.key = new YAML.Scalar(to);
  }
  /** Renames a secret and every workload's reference to it. */
  renameSecret(from: string, to: string): void {
    this.renameKey(cfg("secrets"), from, to);
    const workloads = this.doc.getIn(cfg("workloads"), true);
    if (!YAML.isMap(workloads)) return;
    for (const pair of workloads.items) {
      const list = YAML.isMap(pair.value) ? pair.value.get("secrets", true) : undefined;
      if (!YAML.isSeq(list)) continue;
      list.items = list.items.map((item) =>
        YAML.isScalar(item) && item.value === from ? new YAML.Scalar(to) : item,
      );
    }
  }
  text(edit: (text: string) => string): void {
    this.textEdits.push(edit);
  }
  render(): string {
    let text = this.doc.toString({ lineWidth: 0 });
    this.raws.forEach((yaml, i) => {
      text = text.split(`fuzzraw${i}x`).join(yaml);
    });
    for (const edit of this.textEdits) text = edit(text);
    return text;
  }
}
