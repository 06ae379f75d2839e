import { AppError } from "@replibot/core";
import {
  type Database,
  deleteSlackInstallation,
  getSlackInstallation,
  type SecretsBox,
  saveSlackInstallation,
} from "@replibot/db";
import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";

/** The id an installation is kept under: the workspace, or the organization for an org-wide install. */
function installKey(query: { isEnterpriseInstall?: boolean; teamId?: string; enterpriseId?: string }) {
  const key = query.isEnterpriseInstall ? query.enterpriseId : query.teamId;
  if (!key) throw new AppError("invalid_input", "the Slack installation names no workspace");
  return key;
}

/** Bolt's installation store on Postgres: every token sealed with SECRETS_KEY before it is written. */
export function postgresInstallationStore(db: Database, box: SecretsBox): InstallationStore {
  return {
    async storeInstallation(installation) {
      const botToken = installation.bot?.token;
      if (!botToken) throw new AppError("invalid_input", "the Slack installation carries no bot token");
      await saveSlackInstallation(db, box, {
        teamId: installKey({
          isEnterpriseInstall: installation.isEnterpriseInstall,
          teamId: installation.team?.id,
          enterpriseId: installation.enterprise?.id,
        }),
        enterpriseId: installation.enterprise?.id ?? null,
        botUserId: installation.bot?.userId ?? "",
        botToken,
        installation,
      });
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = await getSlackInstallation(db, box, installKey(query));
      if (!found) throw new AppError("not_found", "Replibot is not installed in this Slack workspace");
      return found.installation as Installation<"v2", boolean>;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await deleteSlackInstallation(db, installKey(query));
    },
  };
}
