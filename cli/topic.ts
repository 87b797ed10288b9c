/**
 * Topic commands (`guts keys`, `guts tx`, …): they exist so that `guts --help` lists each topic
 * with its own summary (oclif otherwise borrows the first subcommand's), and print the topic's help.
 */
import { Command, loadHelpClass } from '@oclif/core';

export abstract class TopicCommand extends Command {
  async run(): Promise<void> {
    await this.parse(this.ctor);
    const Help = await loadHelpClass(this.config);
    await new Help(this.config, this.config.pjson.oclif.helpOptions ?? {}).showHelp([this.id ?? '']);
  }
}
