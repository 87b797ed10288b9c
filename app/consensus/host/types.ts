/** Shared shapes of the consensus host. */
export interface HostLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

export const silentLogger: HostLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export class ConsensusHostError extends Error {
  override readonly name = 'ConsensusHostError';
}
