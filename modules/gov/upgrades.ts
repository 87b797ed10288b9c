/**
 * The protocol upgrades this binary carries. A release that follows a ProtocolUpgrade
 * proposal named `<name>` registers its handler here (state migrations, run once in the
 * BeginBlock of the activation height); a binary without it halts there with
 * `UPGRADE NEEDED: <name>`. Handlers stay registered in later releases, so a node can
 * still be started on data that went through the upgrade.
 */
import { UpgradeHandlers } from './upgrade.js';

export function binaryUpgrades(): UpgradeHandlers {
  return new UpgradeHandlers();
}
