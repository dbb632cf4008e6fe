/** Governance tasks: delegate votes, propose typed actions, vote, queue and execute proposals. */
import { lazyAction, withFrom } from "./common";
import { PROPOSAL, SUBNET, defineTask } from "./impl/params";
import type { DelegateArgs, ProposalArgs, ProposeArgs, VoteArgs } from "./impl/governance";

const impl = (fn: "delegate" | "propose" | "vote" | "queue" | "execute") =>
  lazyAction<DelegateArgs & ProposeArgs & VoteArgs & ProposalArgs>(
    async () => (await import("./impl/governance"))[fn],
  );

const DELEGATE = "Delegates your TTD votes (to yourself by default): TTD votes only once delegated";
withFrom(
  defineTask("gov:delegate", DELEGATE, ["to", "The delegate's address (default: yourself)", "optional"]),
).setAction(impl("delegate"));

withFrom(
  defineTask(
    "gov:propose",
    "Proposes typed actions: bucket shares, metric weights, or a JSON file of actions",
    ["shares", "Bucket shares in bps: code,community,compute,capital,protection", "optional"],
    ["metricWeights", "Metric weights in bps for --subnet, e.g. 3000,2500,2500,2000", "optional"],
    [SUBNET[0], "The subnet of --metric-weights: code, community, compute or an address", "optional"],
    ["actions", "A JSON file of actions (see scripts/tasks/impl/governance.ts)", "optional"],
    ["title", "The proposal's title (default: from its actions)", "optional"],
    ["description", "Why: the rationale, in Markdown", "optional"],
  ),
).setAction(impl("propose"));

const SUPPORT = ["support", "for, against or abstain"] as const;
const REASON = ["reason", "A reason, recorded on chain", "optional"] as const;
withFrom(defineTask("gov:vote", "Votes on an active proposal", PROPOSAL, SUPPORT, REASON)).setAction(
  impl("vote"),
);

for (const [name, description, fn] of [
  ["gov:queue", "Queues a succeeded proposal in the Timelock", "queue"],
  ["gov:execute", "Executes a queued proposal once the Timelock's delay has passed", "execute"],
] as const)
  withFrom(defineTask(name, description, PROPOSAL)).setAction(impl(fn));
