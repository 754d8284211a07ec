// Under Stryker, the differential test (test/iam/differential.test.ts) runs 300 generated cases
// instead of `npm test`'s 1,500: each mutant then costs seconds. Set IAM_FUZZ_RUNS to run more.
process.env.IAM_FUZZ_RUNS = process.env.IAM_FUZZ_RUNS ?? '300';
