import { describe, expect, it } from "vitest";
import { bpsCell, roundTable, sheetStanding, struckCell } from "./validator";
import { EXPEL_REASONS, expelReasonName, isStruck } from "../../../scripts/lib/shared/standing";
import { struck as modelStruck } from "../../../scripts/lib/models/dividends";

const params = { agreementThreshold: 5000, relativeThreshold: 8000 };
const div = (round: bigint, agreementBps: bigint, reward: bigint) => ({
  args: { round, agreementBps, reward },
});
const agr = (round: bigint, medianBps: bigint, laggedBps: bigint) => ({
  args: { round, medianBps, laggedBps },
});

describe("roundTable", () => {
  it("joins dividends with the round's median and lag, newest first, with edge and strike", () => {
    const rows = roundTable(
      [div(3n, 9000n, 5n), div(4n, 6000n, 0n)],
      [agr(2n, 9000n, 8000n), agr(3n, 9200n, 8500n), agr(4n, 9000n, 8000n)],
      params,
      { fromRound: 3n },
    );
    expect(rows.map((r) => r.round)).toEqual([4n, 3n]);
    // 6000 * 1e4 < 8000 * 9000: under 80% of the median.
    expect(rows[0]).toMatchObject({
      revealed: true,
      agreement: 6000n,
      edge: -2000n,
      struck: true,
      reward: 0n,
    });
    expect(rows[1]).toMatchObject({ median: 9200n, lagged: 8500n, edge: 500n, struck: false, reward: 5n });
  });

  it("lists rounds without a reveal since joining, and strikes under the absolute floor", () => {
    const rows = roundTable([div(5n, 4900n, 0n)], [agr(4n, 9000n, 9000n), agr(5n, 5000n, 0n)], params, {
      fromRound: 4n,
    });
    expect(rows[0]).toMatchObject({ round: 5n, struck: true });
    expect(rows[1]).toMatchObject({ round: 4n, revealed: false, median: 9000n });
    expect(rows[1].agreement).toBeUndefined();
    expect(struckCell(rows[1])).toBe("no reveal");
    expect(struckCell(rows[0])).toBe("yes");
  });

  it("keeps a dividend without a RoundAgreement (unknown median), honours the limit, skips bad logs", () => {
    const rows = roundTable(
      [div(1n, 7000n, 1n), div(2n, 7000n, 1n), { args: {} }],
      [{ args: { medianBps: 1n } }],
      params,
      { limit: 1 },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ round: 2n, revealed: true });
    expect(rows[0].struck).toBeUndefined();
    expect(bpsCell(rows[0].median)).toBe("–");
    expect(struckCell(rows[0])).toBe("–");
    expect(bpsCell(250n, true)).toBe("+2.5%");
    expect(bpsCell(-250n, true)).toBe("-2.5%");
  });
});

describe("isStruck", () => {
  it("is the reference model's Dividends.struck", () => {
    for (const a of [0n, 4999n, 5000n, 7199n, 7200n, 10_000n])
      for (const m of [0n, 9000n, 10_000n])
        for (const rel of [0n, 8000n, 10_000n])
          expect(isStruck(a, m, 5000, rel)).toBe(modelStruck(a, m, 5000n, rel));
  });
});

describe("sheetStanding", () => {
  const base = { activityCutoff: 7, commitRound: 0n, revealRound: 0n, joinRound: 1n };

  it("keeps a revealed sheet in force for activityCutoff rounds", () => {
    const s = sheetStanding({ ...base, round: 11n, revealRound: 5n, commitRound: 5n, phase: "commit" });
    expect(s).toMatchObject({ lastRevealed: 5n, activeUntil: 11n, inForce: true, expelRound: 12n });
    expect(s.warning).toBeUndefined();
    const next = sheetStanding({ ...base, round: 12n, revealRound: 5n, commitRound: 5n, phase: "reveal" });
    expect(next).toMatchObject({ inForce: false, atRisk: "Inactive", certain: false });
    expect(next.warning).toMatch(/reveal in round 12, or its finalization expels the permit \(Inactive\)/);
    expect(sheetStanding({ ...base, round: 12n, revealRound: 5n, phase: "closed" })).toMatchObject({
      atRisk: "Inactive",
      certain: true,
    });
  });

  it("counts from the join round when it never revealed, and clears once it reveals", () => {
    const s = sheetStanding({ ...base, round: 9n, joinRound: 2n });
    expect(s).toMatchObject({
      lastRevealed: undefined,
      activeUntil: undefined,
      inForce: false,
      atRisk: "Inactive",
    });
    expect(s.warning).toMatch(/since joining in round 2/);
    expect(sheetStanding({ ...base, round: 8n, joinRound: 2n }).atRisk).toBeUndefined();
    expect(
      sheetStanding({ ...base, round: 9n, joinRound: 2n, revealRound: 9n, commitRound: 9n }).atRisk,
    ).toBe(undefined);
  });

  it("warns a committer that has not revealed once the reveal window opens", () => {
    const open = { ...base, round: 6n, revealRound: 5n, commitRound: 6n };
    expect(sheetStanding({ ...open, phase: "commit" }).atRisk).toBeUndefined();
    expect(sheetStanding({ ...open, phase: "reveal" })).toMatchObject({ atRisk: "NoReveal", inForce: true });
    expect(sheetStanding({ ...open, phase: "closed" })).toMatchObject({
      atRisk: "NoReveal",
      certain: true,
      inForce: false,
    });
  });
});

describe("expel reasons", () => {
  it("name ISubnet.ExpelReason by value, Inactive included", () => {
    expect(EXPEL_REASONS.indexOf("Inactive")).toBe(4);
    expect(expelReasonName(3)).toBe("BelowMinimum");
    expect(expelReasonName(9n)).toBe("Reason 9");
  });
});
