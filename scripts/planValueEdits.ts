/**
 * Values a change edits under versions both sides list, read from the two stack files as text:
 * the offline plan cannot decrypt a `secure:` value, but the ciphertext itself shows the edit.
 * Pulumi keeps a secure value as its ciphertext string and decrypts it only when it is used
 * (pulumi v3.248.0 sdk/go/common/resource/config/value.go: `Value{value, secure}`,
 * NewSecureValue), and `pulumi config set --secret` encrypts only the value it sets. A
 * ciphertext that differs therefore means the value was set again, or every value was
 * re-encrypted (`pulumi stack change-secrets-provider`). Only names are returned, never a value.
 */
import * as YAML from "yaml";
import { PROJECT } from "../core/project";

export interface ValueEdit {
  version: string;
  key: string;
}

type YamlMap = Map<unknown, unknown>;
const isMap = (v: unknown): v is YamlMap => v instanceof Map;

/** `secrets → name → versions → id → key → value` of a stack file's text, as Maps. */
function versionValues(text: string | undefined): Map<string, Map<string, YamlMap>> {
  const out = new Map<string, Map<string, YamlMap>>();
  if (text === undefined) return out;
  let doc: unknown;
  try {
    // Maps, not objects: secret, version and key names are user input (`__proto__` is a name).
    doc = YAML.parse(text, { mapAsMap: true });
  } catch {
    return out; // the plan of that side reports a broken file
  }
  const secrets = isMap(doc) && isMap(doc.get("config")) ? (doc.get("config") as YamlMap) : null;
  const all = secrets?.get(`${PROJECT}:secrets`);
  if (!isMap(all)) return out;
  for (const [name, secret] of all) {
    const versions = isMap(secret) ? secret.get("versions") : undefined;
    if (!isMap(versions)) continue;
    const byId = new Map<string, YamlMap>();
    for (const [id, keys] of versions) if (isMap(keys)) byId.set(String(id), keys);
    out.set(String(name), byId);
  }
  return out;
}

/**
 * What a value is written as, to compare: the ciphertext of a secure value; a plain scalar as
 * its text (Pulumi reads config values as strings, so `1` and `"1"` are one value); else YAML.
 */
const written = (v: unknown): string =>
  isMap(v) && v.size === 1 && typeof v.get("secure") === "string"
    ? `secure:${String(v.get("secure"))}`
    : isMap(v) || Array.isArray(v)
      ? `plain:${YAML.stringify(v)}`
      : `plain:${String(v)}`;

/**
 * Per secret, each key of a version both sides list whose written value differs, and each key
 * one side has and the other has not (the plan refuses keys that differ between versions).
 */
export function valueEdits(base: string | undefined, head: string): Map<string, ValueEdit[]> {
  const before = versionValues(base);
  const edits = new Map<string, ValueEdit[]>();
  for (const [name, versions] of versionValues(head)) {
    const old = before.get(name);
    if (!old) continue;
    for (const [version, keys] of versions) {
      const was = old.get(version);
      if (!was) continue;
      const names = new Set([...was.keys(), ...keys.keys()].map(String));
      for (const key of [...names].sort()) {
        const [a, b] = [was.get(key), keys.get(key)];
        if (a === undefined && b === undefined) continue;
        if (a !== undefined && b !== undefined && written(a) === written(b)) continue;
        edits.set(name, [...(edits.get(name) ?? []), { version, key }]);
      }
    }
  }
  return edits;
}
