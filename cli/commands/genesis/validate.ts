import { Args } from '@oclif/core';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BaseCommand } from '../../base.js';
import { CliError } from '../../errors.js';

export default class GenesisValidate extends BaseCommand<typeof GenesisValidate> {
  static override summary = 'Check a genesis file as `guts start` would, naming the first field that is wrong.';
  static override description = 'Parses the file, validates consensus params, validators and every module\'s app_state (including the checks modules make between each other), and prints the chain id, validators and total power. Exit code 1 and the JSON path of the problem when it is invalid.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> ./genesis.json -o json'];
  static override args = { file: Args.string({ description: 'genesis file (default: <home>/config/genesis.json)' }) };

  async run(): Promise<void> {
    const file = this.args.file ?? join(this.home, 'config', 'genesis.json');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${(e as Error).message}`);
    }
    const { parseGenesisText } = await import('../../../genesis/doc.js');
    const { createModules } = await import('../../../app/chain/modules.js');
    const g = parseGenesisText(text, createModules().list);
    const total = g.validators.reduce((n, v) => n + v.power, 0n);
    const out = { file, valid: true, chain_id: g.chainId, initial_height: g.initialHeight.toString(), validators: g.validators.length, total_power: total.toString() };
    this.print(out, (o: typeof out) => `${o.file} is valid: chain ${o.chain_id}, initial height ${o.initial_height}, ${o.validators} validators, total power ${o.total_power}`);
  }
}
