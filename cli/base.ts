/**
 * The base of every `guts` command: common flags (`--home`, `-o`, `--log-level`, `--trace`),
 * output in simd's two formats (JSON on one line, or YAML-like text), and error reporting as
 * one line with the registered code, e.g. `Error: key not found (sdk/22): no key named "bob"`.
 */
import { Command, Flags, type Interfaces } from '@oclif/core';
import { stringify as toYaml } from 'yaml';
import { CliError, formatError } from './errors.js';
import { DEFAULT_HOME, expandHome } from './home.js';

export type OutputFormat = 'json' | 'text';

/** simd's text output: YAML, sequences not indented under their key (as Go's yaml.v2 writes). */
export function yaml(value: unknown): string {
  return toYaml(value, { lineWidth: 0, indentSeq: false });
}

export type InferredFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>;
export type InferredArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override baseFlags = {
    home: Flags.string({
      summary: 'Node and keyring home directory.',
      default: DEFAULT_HOME,
      defaultHelp: async () => '~/.guts',
      env: 'GUTS_HOME',
      helpGroup: 'GLOBAL',
    }),
    output: Flags.option({
      char: 'o',
      summary: 'Output format.',
      options: ['text', 'json'] as const,
      default: 'text',
      helpGroup: 'GLOBAL',
    })(),
    'log-level': Flags.string({
      summary: 'Log level (trace, debug, info, warn, error, fatal, silent).',
      default: 'info',
      env: 'GUTS_LOG_LEVEL',
      helpGroup: 'GLOBAL',
    }),
    trace: Flags.boolean({
      summary: 'Print the full stack trace of an error.',
      default: false,
      helpGroup: 'GLOBAL',
    }),
  };

  protected flags!: InferredFlags<T>;
  protected args!: InferredArgs<T>;
  /** `--home` with `~` expanded, absolute */
  protected home!: string;

  public override async init(): Promise<void> {
    await super.init();
    const { args, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as InferredFlags<T>;
    this.args = args as InferredArgs<T>;
    this.home = expandHome(this.flags.home);
  }

  protected get outputFormat(): OutputFormat {
    return this.flags.output as OutputFormat;
  }

  /** Print a result: compact JSON with `-o json`, else `text(value)` or YAML (simd's text format). */
  protected print(value: unknown, text?: (v: never) => string): void {
    if (this.outputFormat === 'json') {
      process.stdout.write(JSON.stringify(value) + '\n');
      return;
    }
    const out = text ? text(value as never) : yaml(value);
    process.stdout.write(out.endsWith('\n') ? out : out + '\n');
  }

  /** Messages for the person at the terminal (prompts, notes) go to stderr, so stdout stays parseable. */
  protected note(message: string): void {
    process.stderr.write(message + '\n');
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number }; parse?: unknown }): Promise<unknown> {
    // oclif's own exits and flag/argument parse errors already read well (with a --help hint)
    if (err.oclif?.exit !== undefined && (err as { code?: string }).code === 'EEXIT') throw err;
    if (err.parse !== undefined) return super.catch(err);
    const trace = this.argv.includes('--trace') || process.env.GUTS_TRACE === '1';
    process.stderr.write(`Error: ${formatError(err)}\n`);
    if (trace && err.stack) process.stderr.write(err.stack + '\n');
    this.exit(err instanceof CliError ? err.exitCode : 1);
  }
}
