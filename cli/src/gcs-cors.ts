/** `gcs-cors`: the Cloud Storage CORS JSON with the Segments rule. */
import { segmentsGcsCorsRule } from 'segments-cloud-constructs';
import { all } from './args';
import { Command } from './command';
import { inputError } from './errors';
import { GCS_ORIGIN_WILDCARD, originFlagProblems } from './origins';

export const gcsCorsCommand: Command = {
  name: 'gcs-cors',
  summary: 'The Cloud Storage CORS JSON that \'gcloud storage buckets update --cors-file\' takes.',
  synopsis: 'gcs-cors [--origin O]...',
  flags: { origin: { repeatable: true } },
  example: 'gcs-cors > cors.json',
  help: () => `Prints the CORS configuration of a Cloud Storage bucket (a JSON list of one rule, as
'gcloud storage buckets update --cors-file' takes it) that lets Segments' web app GET images.
A bucket has one CORS list, and --cors-file replaces it: add any rules of your own to the list.

Flags:
  --origin O      an origin Segments' web app runs on, 'https://host' (repeat for several). Cloud
                  Storage matches origins literally, so '*' is refused: list each host.
                  Default: ${segmentsGcsCorsRule().origin.join(', ')}.

Example:
  segments-cloud gcs-cors > cors.json
  gcloud storage buckets update gs://my-images --cors-file=cors.json
`,
  run(flags) {
    const origins = all(flags, 'origin');
    const problems = originFlagProblems(origins, GCS_ORIGIN_WILDCARD);
    if (problems.length > 0) {
      throw inputError(...problems);
    }
    return { json: [origins.length > 0 ? segmentsGcsCorsRule(origins) : segmentsGcsCorsRule()], warnings: [] };
  },
};
