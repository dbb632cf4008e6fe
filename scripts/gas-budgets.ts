/** Gas budgets enforced by `npm run bench:gas` (and so by CI). Reference figures: ../shared/TOOLCHAIN.md. */
import { Budget } from "./lib/gas";

export const BUDGETS: Budget[] = [
  { kind: "max", key: "capital.deposit", max: 110_000, why: "Morpheus stake: 278,992" },
  {
    kind: "max",
    key: "capital.claim",
    max: 90_000,
    why: "Morpheus claim: 163,949; Synthetix getReward: 76,290",
  },
  { kind: "max", key: "capital.withdraw", max: 90_000, why: "Morpheus withdraw: 184,605" },
  {
    kind: "same",
    key: "emission.distribute.10years",
    like: "emission.distribute.1day",
    tolerance: 0.05,
    why: "distribute is O(1) in elapsed time",
  },
];
