/** How the CLI reports failures: one line, the registered code when there is one, no stack. */
import { CodedError } from '../app/errors.js';

/** A failure of the CLI's own making (bad flag combination, unreachable node, declined prompt). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    /** process exit status */
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** `insufficient funds (sdk/5): 10ugut is smaller than 20ugut`, or the plain message. */
export function formatError(err: unknown): string {
  if (err instanceof CodedError) {
    const head = `${err.registered.description} (${err.codespace}/${err.code})`;
    return err.detail ? `${head}: ${err.detail}` : head;
  }
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}
