import { eq, sql } from "drizzle-orm";
import type { Database } from "../create-db.ts";
import { slackInstallations } from "../schema.ts";
import type { SecretsBox } from "../secrets-box.ts";

/** A Slack workspace's installation, as the app uses it: the token in the clear, in memory only. */
export interface SlackInstallationRecord {
  teamId: string;
  enterpriseId: string | null;
  botUserId: string;
  botToken: string;
  /** Bolt's whole installation object (it holds tokens too), as it was saved. */
  installation: unknown;
}

/** What OAuth's installation store saves; `enterpriseId` may be left out for a plain workspace. */
export type NewSlackInstallation = Omit<SlackInstallationRecord, "enterpriseId"> & {
  enterpriseId?: string | null;
};

/**
 * Saves a workspace's installation, replacing an earlier one of the same team (a reinstall). The bot
 * token and the installation object (as JSON) are sealed with `box`; only ciphertext is stored.
 */
export async function saveSlackInstallation(
  db: Database,
  box: SecretsBox,
  input: NewSlackInstallation,
): Promise<void> {
  const row = {
    teamId: input.teamId,
    enterpriseId: input.enterpriseId ?? null,
    botUserId: input.botUserId,
    botTokenEncrypted: box.seal(input.botToken),
    installationEncrypted: box.seal(JSON.stringify(input.installation ?? null)),
  };
  await db
    .insert(slackInstallations)
    .values(row)
    .onConflictDoUpdate({
      target: slackInstallations.teamId,
      set: {
        enterpriseId: row.enterpriseId,
        botUserId: row.botUserId,
        botTokenEncrypted: row.botTokenEncrypted,
        installationEncrypted: row.installationEncrypted,
        updatedAt: sql`now()`,
      },
    });
}

/**
 * A workspace's installation with its token opened, or undefined when it never installed (or
 * uninstalled). Throws `config_invalid` when the stored values were sealed with another SECRETS_KEY.
 */
export async function getSlackInstallation(
  db: Database,
  box: SecretsBox,
  teamId: string,
): Promise<SlackInstallationRecord | undefined> {
  const [row] = await db.select().from(slackInstallations).where(eq(slackInstallations.teamId, teamId));
  if (!row) return undefined;
  return {
    teamId: row.teamId,
    enterpriseId: row.enterpriseId,
    botUserId: row.botUserId,
    botToken: box.open(row.botTokenEncrypted),
    installation: JSON.parse(box.open(row.installationEncrypted)) as unknown,
  };
}

/** Forgets a workspace's installation (app uninstalled, tokens revoked); false when there was none. */
export async function deleteSlackInstallation(db: Database, teamId: string): Promise<boolean> {
  const rows = await db
    .delete(slackInstallations)
    .where(eq(slackInstallations.teamId, teamId))
    .returning({ teamId: slackInstallations.teamId });
  return rows.length === 1;
}
