/**
 * The fuzzer's corpus: every committed stack and example, what the mutations aim at in each,
 * and every mutated file in a fixed order (the seed decides the shuffles), or a seeded sample
 * of them that keeps every family.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../../offline";
import { FAMILIES } from "./families";
import { type Base, Editor, type FuzzFile, NS, prng } from "./model";

/** Every committed stack and example, relative to the project folder. */
export function baseFiles(dir = PROJECT_DIR): string[] {
  const stacks = fs
    .readdirSync(dir)
    .filter((f) => /^Pulumi\..+\.yaml$/.test(f))
    .sort();
  const examples: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (/^Pulumi\..+\.yaml$/.test(entry.name)) examples.push(child);
    }
  };
  if (fs.existsSync(path.join(dir, "examples"))) walk("examples");
  return [...stacks, ...examples.sort()];
}

type Json = Record<string, unknown>;

/** What the mutations aim at in one stack file. */
export function readBase(file: string, dir = PROJECT_DIR): Base {
  const text = fs.readFileSync(path.join(dir, file), "utf8");
  const stack = /^Pulumi\.(.+)\.yaml$/.exec(path.basename(file))![1];
  const config = ((YAML.parse(text) as Json).config ?? {}) as Json;
  const secrets = (config[`${NS}secrets`] ?? {}) as Record<string, Json>;
  const workloads = (config[`${NS}workloads`] ?? {}) as Record<string, Json>;
  const secret = Object.keys(secrets)[0];
  const s = secrets[secret];
  const owned = (kind: string) =>
    Object.keys(workloads).find((w) => workloads[w].kind === kind && !workloads[w].owner);
  return {
    file,
    stack,
    text,
    environment:
      typeof config[`${NS}environment`] === "string"
        ? (config[`${NS}environment`] as string)
        : stack,
    secret,
    active: String(s.active),
    versions: Object.keys(s.versions ?? {}),
    generated: Object.keys(s.generate ?? {}),
    hasMonitor: s.monitor !== undefined,
    hasPromotion: config[`${NS}promotion`] !== undefined,
    deployment: owned("Deployment"),
    cronJob: owned("CronJob"),
    secretNames: Object.keys(secrets),
  };
}

/** Every mutated file, in a fixed order; the seed decides the shuffles. */
export function generate(seed = 17, dir = PROJECT_DIR): FuzzFile[] {
  const files: FuzzFile[] = [];
  for (const file of baseFiles(dir)) {
    // Only stacks of this project (a stack file of a `Pulumi.yaml` elsewhere is not ours).
    const base = readBase(file, dir);
    if (!base.secret) continue;
    for (const family of FAMILIES) {
      family.make(base).forEach((spec, i) => {
        const random = prng(seed * 7919 + files.length);
        const editor = new Editor(base, random);
        spec.edit(editor);
        files.push({
          id: `${base.file}#${family.name}/${i}`,
          family,
          base,
          spec,
          text: editor.render(),
        });
      });
    }
  }
  return files;
}

/**
 * A seeded sample of `n` files (all of them when n is at least their number), taken in turn
 * from each family, so that every family is in it.
 */
export function sample(files: readonly FuzzFile[], n: number, seed = 17): FuzzFile[] {
  if (n >= files.length) return [...files];
  const random = prng(seed);
  const byFamily = FAMILIES.map((family) => {
    const own = files.filter((f) => f.family === family);
    for (let i = own.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [own[i], own[j]] = [own[j], own[i]];
    }
    return own;
  });
  const picked: FuzzFile[] = [];
  for (let round = 0; picked.length < n; round++) {
    for (const own of byFamily) {
      if (round < own.length && picked.length < n) picked.push(own[round]);
    }
  }
  return picked;
}
