/** FH0400–FH0499: the inference node: install, GPU, supervisor, doctor. Codes are never renumbered or reused. */
import { defineCodes } from "./define.ts";

export const NodeErrors = defineCodes({});
