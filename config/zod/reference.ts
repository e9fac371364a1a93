/**
 * The README's config reference, written from the contract: one row per field, with its
 * default and what is allowed. `npm run docs` writes it into the README, and a test fails
 * when the README and the contract disagree.
 */
import type { AnyField, Contract } from "./view";
import { STACK_FIELDS } from "../contract/stack";

export interface ReferenceRow {
  /** The path under `secret-rotation:`, maps written with their key (`secrets.<name>.active`). */
  key: string;
  default: string;
  allowed: string;
}

function fieldRows(key: string, field: AnyField): ReferenceRow[] {
  const only = field.kinds ? `${field.kinds.join(", ")} only; ` : "";
  const rows: ReferenceRow[] = [
    { key, default: field.defaultText, allowed: `${only}${field.doc}` },
  ];
  const nested = field.nested;
  if (!nested) return rows;
  const inner = nested.key ? `${key}.${nested.key}` : key;
  if (nested.entry) rows.push(...fieldRows(inner, nested.entry));
  if (nested.contract) rows.push(...contractRows(`${inner}.`, nested.contract));
  return rows;
}

function contractRows(prefix: string, fields: Contract): ReferenceRow[] {
  return Object.entries(fields).flatMap(([name, field]) => fieldRows(`${prefix}${name}`, field));
}

/** Every field of the stack config, in contract order. */
export function configReferenceRows(): ReferenceRow[] {
  return contractRows("", STACK_FIELDS);
}

/** The rows as a Markdown table (unaligned: Prettier aligns it). */
export function configReferenceTable(): string {
  const cell = (text: string) => text.replace(/\|/g, "\\|");
  return [
    "| key | default | allowed |",
    "| --- | --- | --- |",
    ...configReferenceRows().map(
      (r) => `| \`${r.key}\` | ${cell(r.default)} | ${cell(r.allowed)} |`,
    ),
  ].join("\n");
}
