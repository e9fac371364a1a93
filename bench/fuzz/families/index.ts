/**
 * Every fuzz family, in the order the fuzzer generates and reports them (a file's id names its
 * family and index, so the order is part of the output). Grouped by area in this folder.
 */
import type { Family } from "../model";
import { NUMBER_FAMILIES } from "./numbers";
import { WORKLOAD_FIELD_FAMILIES } from "./workloadFields";
import { CLOUDWATCH_FAMILIES } from "./cloudwatch";
import { STACK_FILE_FAMILIES } from "./stackFile";
import { NAME_FAMILIES } from "./names";
import { VERSION_FAMILIES } from "./versions";
import { SETTING_FAMILIES } from "./settings";
import { TYPO_FAMILIES } from "./typos";
import { VALID_FAMILIES } from "./valid";

export const FAMILIES: Family[] = [
  ...NUMBER_FAMILIES,
  ...WORKLOAD_FIELD_FAMILIES,
  ...CLOUDWATCH_FAMILIES,
  ...STACK_FILE_FAMILIES,
  ...NAME_FAMILIES,
  ...VERSION_FAMILIES,
  ...SETTING_FAMILIES,
  ...TYPO_FAMILIES,
  ...VALID_FAMILIES,
];
