/** Reading the `--merge` file: the current configuration, as the cloud's own CLI prints it. */
import { CliInput } from './command';
import { CliError, inputError } from './errors';
import { refuseDuplicateKeys } from './json-input';

/**
 * The text of the `--merge` file (`-` is stdin). A missing or unreadable file, or an empty one, is
 * refused: an empty file is what `aws s3api get-bucket-policy ... > current.json` leaves when the
 * bucket has no policy yet, and the fix is to run without `--merge`.
 */
export function readMergeFile(input: CliInput, file: string, what: string): string {
  let text: string;
  try {
    text = input.readText(file);
  } catch (error) {
    if (error instanceof CliError) {
      throw error;
    }
    const code = (error as { code?: string }).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw inputError(`Cannot read --merge ${file} (${reason}).`);
  }
  if (text.trim() === '') {
    throw inputError(`--merge ${file} is empty: if the bucket has no ${what} yet, run the command without --merge.`);
  }
  refuseDuplicateKeys(text, file);
  return text;
}

/** Runs a parser of the `--merge` text, turning its one-sentence Error into a refusal naming the file. */
export function parseMergeFile<T>(file: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw inputError(`--merge ${file}: ${(error as Error).message}`);
  }
}
