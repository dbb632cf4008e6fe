/** Gas budgets enforced by `npm run bench:gas` (and so by CI). Reference figures: ../shared/TOOLCHAIN.md. */
import { Budget } from "../lib/chain/gas";

export const BUDGETS: Budget[] = [
  { kind: "max", key: "capital.deposit", max: 110_000, why: "Morpheus stake: 278,992" },
  {
    kind: "max",
    key: "capital.claim",
    max: 65_000,
    why: "Synthetix StakingRewards getReward (repeat): 76,290; Morpheus claim: 163,949; floor ~55k",
  },
  { kind: "max", key: "capital.withdraw", max: 90_000, why: "Morpheus withdraw: 184,605" },
  { kind: "max", key: "poc.claim", max: 90_000, why: "claim after 30 rounds is O(1)" },
  {
    kind: "max",
    key: "poc.register.full",
    max: 300_000,
    why: "registration in a full subnet evicts from the list made at finalization, O(1) (issue 15)",
  },
  {
    kind: "max",
    key: "poc.finalize.256x64.maxTx",
    max: 15_000_000,
    why: "each finalization page fits a block",
  },
  {
    kind: "max",
    key: "poc.reveal.256x4",
    max: 2_000_000,
    why: "one scoresheet, 256 contributors x 4 metrics",
  },
  {
    kind: "max",
    key: "emission.distribute.1day",
    // Issue 13's target (303,827 before it, 274,248 with four hooks). Five ERC20Votes mints (~99k, one
    // total-supply checkpoint each day) and the pool's hook; the contribution buckets split at their pull.
    max: 200_000,
    why: "Morpheus distributeRewards: ~132,000 (no hooks, no vote checkpoints); issue 13 target: 200,000",
  },
  {
    kind: "same",
    key: "emission.distribute.10years",
    like: "emission.distribute.1day",
    tolerance: 0.05,
    why: "distribute is O(1) in elapsed time",
  },
  {
    kind: "max",
    key: "market.launch",
    max: 450_000,
    why: "issue 16: an EIP-1167 clone with its settings, joined to its bucket, the launch cost burned",
  },
  {
    kind: "max",
    key: "gauge.vote.4subnets",
    max: 150_000,
    why: "issue 16: a holder's ballot over 4 subnets",
  },
  {
    kind: "max",
    key: "subnet.payFee",
    max: 90_000,
    why: "issue 16: a user's service fee (burn share burned at the round)",
  },
  {
    kind: "max",
    key: "bucket.allocate.32subnets",
    max: 600_000,
    why: "issue 16: one bucket's split among 32 live subnets with votes in force",
  },
];
