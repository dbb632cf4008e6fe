/**
 * One table for the tasks and the app: `scripts/lib/shared/error-messages.ts` (dependency-free, used here) must
 * say exactly what `scripts/lib/chain/errors.ts` (the Hardhat tasks' decoder, over ethers) says, for every
 * custom error of every contract, so the two never drift apart.
 */
import { describe, expect, it } from "vitest";
import { errorsAbi } from "../generated/abis";
import * as shared from "../../../scripts/lib/shared/error-messages";
import * as tasks from "../../../scripts/lib/chain/errors";

const YOU = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

function sample(type: string, i: number): unknown {
  if (type === "address") return i === 0 ? YOU : "0x000000000000000000000000000000000000dEaD";
  if (type === "bool") return true;
  if (type === "string") return "why";
  if (type.startsWith("bytes")) return `0x${"ab".repeat(type === "bytes" ? 3 : Number(type.slice(5)))}`;
  if (type.startsWith("uint") || type.startsWith("int")) return BigInt(1_767_225_600 + i * 3_600);
  if (type.endsWith("[]")) return [];
  return 0n;
}

describe("the plain-words table is shared", () => {
  const contexts: shared.ErrorContext[] = [
    {},
    {
      account: YOU,
      units: { symbol: "mLP", decimals: 18 },
      now: 1_767_225_000n,
      round: { round: 4n, commitEnd: 1_767_226_000n, revealEnd: 1_767_230_000n },
      proposal: { snapshot: 1_767_226_000n, deadline: 1_767_300_000n, eta: 1_767_400_000n },
    },
  ];
  const items = [
    ...errorsAbi.map((e) => ({ name: e.name, types: e.inputs.map((x) => x.type) })),
    { name: "Error", types: ["string"] },
    { name: "Panic", types: ["uint256"] },
  ];
  for (const item of items) {
    it(item.name, () => {
      for (const ctx of contexts) {
        for (const variant of [0, 1]) {
          const args = item.types.map((t, i) =>
            item.name === "GovernorUnexpectedProposalState" && i === 1
              ? BigInt(variant * 5)
              : item.name === "WrongPhase"
                ? BigInt((i + variant) % 3)
                : item.name === "Panic"
                  ? 0x11n
                  : sample(t, i + variant),
          );
          const err = { name: item.name, signature: `${item.name}()`, selector: "0x00000000", args };
          expect(shared.describeRevert(err, ctx)).toBe(tasks.describeRevert(err, ctx));
        }
      }
    });
  }
  it("formatting helpers agree", () => {
    for (const wei of [0n, 1n, 12n * 10n ** 17n, 1_234_567n * 10n ** 18n, -5n * 10n ** 18n]) {
      expect(shared.formatAmount(wei, { symbol: "TTD", decimals: 18 })).toBe(
        tasks.formatAmount(wei, { symbol: "TTD", decimals: 18 }),
      );
      expect(shared.formatAmount(wei, undefined, true, 2)).toBe(tasks.formatAmount(wei, undefined, true, 2));
    }
    expect(shared.shortId(2n ** 200n + 77n)).toBe(tasks.shortId(2n ** 200n + 77n));
    expect(shared.formatTimestamp(1_767_225_600n, 1_767_220_000n)).toBe(
      tasks.formatTimestamp(1_767_225_600n, 1_767_220_000n),
    );
  });
});
