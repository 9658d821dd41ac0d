/** Every command, grouped in the order the manual lists them. */
import { InitCommand } from "./init/init.ts";
import { ConfigGetCommand } from "./config/get.ts";
import { ConfigSetCommand } from "./config/set.ts";
import { ConfigListCommand } from "./config/list.ts";
import { ConfigResetCommand } from "./config/reset.ts";
import { ConfigBackupCommand } from "./config/backup.ts";
import { ConfigRestoreCommand } from "./config/restore.ts";
import { ConfigPathCommand } from "./config/path.ts";
import { ConfigValidateCommand } from "./config/validate.ts";
import { WalletCreateCommand } from "./wallet/create.ts";
import { WalletImportCommand } from "./wallet/import.ts";
import { WalletAddressCommand } from "./wallet/address.ts";
import { WalletBalanceCommand } from "./wallet/balance.ts";
import { WalletExportCommand } from "./wallet/export.ts";
import { WalletBackupCommand } from "./wallet/backup.ts";
import { WalletChangePasswordCommand } from "./wallet/change-password.ts";
import { WalletRemoveCommand } from "./wallet/remove.ts";
import { DoctorCommand } from "./doctor/doctor.ts";
import { RegisterCommand } from "./host/register.ts";
import { UnregisterCommand } from "./host/unregister.ts";
import { StatusCommand } from "./host/status.ts";
import { EarningsCommand } from "./host/earnings.ts";
import { WithdrawCommand } from "./host/withdraw.ts";
import { ModelsListCommand } from "./models/list.ts";
import { ModelsInfoCommand } from "./models/info.ts";
import { ModelsDownloadCommand } from "./models/download.ts";
import { PricingShowCommand } from "./pricing/show.ts";
import { PricingSetCommand } from "./pricing/set.ts";
import { PricingClearCommand } from "./pricing/clear.ts";
import { PricingCheckCommand } from "./pricing/check.ts";
import { MarketCommand } from "./market/market.ts";
import { StakeAddCommand } from "./stake/add.ts";
import { UpdateUrlCommand } from "./update/url.ts";
import { UpdateModelsCommand } from "./update/models.ts";
import { UpdateMetadataCommand } from "./update/metadata.ts";
import { NodeInstallCommand } from "./node/install.ts";
import { NodeListCommand } from "./node/list.ts";
import { NodeUseCommand } from "./node/use.ts";
import { NodeRemoveCommand } from "./node/remove.ts";
import { StartCommand } from "./daemon/start.ts";
import { StopCommand } from "./daemon/stop.ts";
import { RestartCommand } from "./daemon/restart.ts";
import { LogsCommand } from "./logs/logs.ts";
import { LogsExportCommand } from "./logs/export.ts";
import { ServiceInstallCommand } from "./service/install.ts";
import { ServiceUninstallCommand } from "./service/uninstall.ts";
import { ServiceStatusCommand } from "./service/status.ts";
import { MetricsCommand } from "./metrics/metrics.ts";
import { SelfUpdateCommand } from "./self-update/self-update.ts";
import { AlertsTestCommand } from "./alerts/test.ts";
import { VersionCommand } from "./version/version.ts";

export const commandGroups = {
  init: [InitCommand],
  config: [
    ConfigGetCommand,
    ConfigSetCommand,
    ConfigListCommand,
    ConfigResetCommand,
    ConfigBackupCommand,
    ConfigRestoreCommand,
    ConfigPathCommand,
    ConfigValidateCommand,
  ],
  wallet: [
    WalletCreateCommand,
    WalletImportCommand,
    WalletAddressCommand,
    WalletBalanceCommand,
    WalletExportCommand,
    WalletBackupCommand,
    WalletChangePasswordCommand,
    WalletRemoveCommand,
  ],
  doctor: [DoctorCommand],
  host: [RegisterCommand, UnregisterCommand, StatusCommand, EarningsCommand, WithdrawCommand],
  models: [ModelsListCommand, ModelsInfoCommand, ModelsDownloadCommand],
  pricing: [PricingShowCommand, PricingSetCommand, PricingClearCommand, PricingCheckCommand],
  market: [MarketCommand],
  stake: [StakeAddCommand],
  update: [UpdateUrlCommand, UpdateModelsCommand, UpdateMetadataCommand],
  node: [NodeInstallCommand, NodeListCommand, NodeUseCommand, NodeRemoveCommand],
  daemon: [StartCommand, StopCommand, RestartCommand],
  logs: [LogsCommand, LogsExportCommand],
  service: [ServiceInstallCommand, ServiceUninstallCommand, ServiceStatusCommand],
  metrics: [MetricsCommand],
  "self-update": [SelfUpdateCommand],
  alerts: [AlertsTestCommand],
  version: [VersionCommand],
};
