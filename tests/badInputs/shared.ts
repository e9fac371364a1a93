/**
 * The rows of tests/validation.test.ts: how to break the base config, the path the error
 * must name, and the words it must say. One file per part of the config contract.
 */
import type { TestConfig } from "../helpers";
import { secretOf, workloadOf } from "../helpers";

/** A case: how to break the base config, the path the error must name, words it must say. */
export interface BadInput {
  name: string;
  edit: (config: TestConfig) => void;
  path: string;
  says: string[];
  stack?: string;
}

export const auth = (c: TestConfig) => secretOf(c);
export const service = (c: TestConfig) => workloadOf(c, "auth-service");
export const job = (c: TestConfig) => workloadOf(c, "token-refresh");
