/** `aws-cors`: the S3 CORS configuration with the Segments rule, alone or merged into the current one. */
import {
  corsConfigurationBytes,
  earlierMatchingCorsRule,
  findCorsRulesById,
  mergeCorsRuleById,
  parseS3CorsConfiguration,
  S3_CORS_CONFIGURATION_MAX_BYTES,
  S3_CORS_MAX_RULES,
  sameCorsRuleJson,
  SEGMENTS_S3_CORS_RULE_ID,
  segmentsS3CorsRuleJson,
} from 'segments-cloud-constructs';
import { all, single } from './args';
import { Command } from './command';
import { inputError } from './errors';
import { parseMergeFile, readMergeFile } from './merge-file';
import { S3_ORIGIN_WILDCARD, originFlagProblems } from './origins';

export const awsCorsCommand: Command = {
  name: 'aws-cors',
  summary: 'An S3 CORS configuration holding the Segments rule, or FILE\'s with it merged in.',
  synopsis: 'aws-cors [--origin O]... [--merge FILE]',
  flags: { origin: { repeatable: true }, merge: { repeatable: false } },
  example: 'aws-cors --merge cors.json',
  help: () => `Prints an S3 CORS configuration ({"CORSRules": [...]}, as 'aws s3api put-bucket-cors
--cors-configuration' takes it) with the rule that lets Segments' web app GET images. The rule's ID
is '${SEGMENTS_S3_CORS_RULE_ID}'.

Flags:
  --origin O      an origin Segments' web app runs on, 'https://host' (repeat for several). A
                  leading wildcard, as in https://*.example.com, matches the subdomains.
                  Default: ${segmentsS3CorsRuleJson().AllowedOrigins.join(', ')}.
  --merge FILE    the bucket's current CORS configuration, as 'aws s3api get-bucket-cors' prints it
                  ('-' reads stdin). The Segments rule is inserted, or replaced where its ID already
                  is; every other rule is kept in its place (S3 answers with the first rule that
                  matches). More than S3's ${S3_CORS_MAX_RULES} rules, or 64 KB, is refused.

Examples:
  segments-cloud aws-cors > cors.json

  aws s3api get-bucket-cors --bucket my-images --output json > current-cors.json
  segments-cloud aws-cors --merge current-cors.json > merged-cors.json
  aws s3api put-bucket-cors --bucket my-images --cors-configuration file://merged-cors.json \\
    --expected-bucket-owner 111122223333

--expected-bucket-owner (your account ID) makes S3 refuse the write if the bucket is not yours.
`,
  run(flags, input) {
    const origins = all(flags, 'origin');
    const problems = originFlagProblems(origins, S3_ORIGIN_WILDCARD);
    if (problems.length > 0) {
      throw inputError(...problems);
    }
    const rule = origins.length > 0 ? segmentsS3CorsRuleJson(origins) : segmentsS3CorsRuleJson();
    const file = single(flags, 'merge');
    if (file === undefined) {
      return { json: { CORSRules: [rule] }, warnings: [] };
    }
    const text = readMergeFile(input, file, 'CORS configuration');
    const current = parseMergeFile(file, () => parseS3CorsConfiguration(text));
    const warnings: string[] = [];
    if (findCorsRulesById(current.CORSRules, SEGMENTS_S3_CORS_RULE_ID).some((existing) => !sameCorsRuleJson(existing, rule))) {
      warnings.push(`The CORS configuration in ${file} has a different '${SEGMENTS_S3_CORS_RULE_ID}' rule; it is replaced by this one.`);
    }
    const merged = mergeCorsRuleById(current.CORSRules, rule);
    if (merged.length > S3_CORS_MAX_RULES) {
      throw inputError(`The merged CORS configuration has ${merged.length} rules, over S3's limit of ${S3_CORS_MAX_RULES}: remove a rule from ${file} first.`);
    }
    const own = merged.findIndex((r) => r.ID === SEGMENTS_S3_CORS_RULE_ID);
    const earlier = earlierMatchingCorsRule(merged, own, rule.AllowedOrigins);
    if (earlier >= 0) {
      warnings.push(`CORS rule #${earlier + 1}${merged[earlier].ID ? ` ('${merged[earlier].ID}')` : ''} in ${file} also matches GETs from ` +
        `${rule.AllowedOrigins.join(', ')} and comes first, so S3 answers Segments with it instead of the Segments rule: ` +
        'remove those origins from it, or move the Segments rule before it.');
    }
    const bytes = corsConfigurationBytes({ CORSRules: merged });
    if (bytes > S3_CORS_CONFIGURATION_MAX_BYTES) {
      throw inputError(`The merged CORS configuration is ${bytes} bytes, over S3's limit of ${S3_CORS_CONFIGURATION_MAX_BYTES} bytes: remove or shorten a rule in ${file} first.`);
    }
    return { json: { CORSRules: merged }, warnings };
  },
};
