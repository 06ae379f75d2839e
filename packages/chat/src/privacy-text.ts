/** What a member is told after "forget me", on either platform. */
export function forgottenText(forgotten: { turns: number; jobs: number }): string {
  const turns = `${forgotten.turns} conversation turn${forgotten.turns === 1 ? "" : "s"}`;
  const jobs = `the words of ${forgotten.jobs} request${forgotten.jobs === 1 ? "" : "s"}`;
  return `Done: Replibot deleted ${turns} and ${jobs} it kept from you. What you were charged stays in the server's ledger (amounts only, no words). Messages already posted in channels are the platform's: delete them there.`;
}
