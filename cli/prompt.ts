/** Terminal prompts. Everything here writes to stderr, so stdout carries only results. */
import { createInterface } from 'node:readline/promises';
import { CliError } from './errors.js';

export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY);
}

/** Read a line without echoing it (passphrases). Needs a TTY. */
export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.reject(new CliError('cannot prompt for a secret: stdin is not a terminal'));
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let buf = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          finish();
          resolve(buf);
          return;
        }
        if (ch === '\u0003' || (ch === '\u0004' && buf === '')) {
          // Ctrl-C, or Ctrl-D on an empty line
          finish();
          reject(new CliError('cancelled', 130));
          return;
        }
        if (ch === '\u007f' || ch === '\b') buf = buf.slice(0, -1);
        else if (ch >= ' ') buf += ch;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

/** Read one line with echo. */
export async function promptLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: isInteractive() });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

/** `[y/N]` question; only an explicit yes counts. */
export async function confirm(question: string): Promise<boolean> {
  const answer = (await promptLine(`${question} [y/N]: `)).trim().toLowerCase();
  return answer === 'y' || answer === 'yes';
}

/** All of stdin (for piped input such as `echo "$MNEMONIC" | guts keys add k --recover`). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString('utf8');
}
