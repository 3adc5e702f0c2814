// Moving a program between installations (ADR 0018): a versioned JSON document out, the same
// document in as a new program. The pieces live in ./transfer/.
export { exportProgram, type ProgramDocument } from "./transfer/export.server";
export { importProgram, type ImportSummary } from "./transfer/import.server";
export { parseDocument, validateDocument } from "./transfer/validate";
export { TRANSFER_FORMAT, TRANSFER_VERSION } from "./transfer/tables";
