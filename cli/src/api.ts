/**
 * `segments-cloud-cli`: the `segments-cloud` command (usage: docs/cli.md). It has no library API;
 * what scripts rely on is the `--json` report of `segments-cloud verify` and its exit codes, listed
 * here for the generated API reference (docs/api/, typedoc.json). Nothing imports this file.
 *
 * @module segments-cloud-cli
 */
export type { CheckOutcome, CheckResult, VerifyReport } from './verify/report';
export { EXIT_VERIFY_COULD_NOT_RUN, EXIT_VERIFY_FAIL, EXIT_VERIFY_PASS } from './verify/report';
