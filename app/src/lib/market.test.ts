import { describe, expect, it } from "vitest";
import {
  applyOverrides,
  ballotText,
  bucketIndex,
  costAfterLaunch,
  periodTiming,
  feeRef,
  feeSplit,
  gaugePoolText,
  launchCostText,
  launchProblems,
  netIssuance,
  noPowerReason,
  ownerShareBps,
  parseBallot,
  parseBps,
  refText,
  voteAppliesText,
  type GaugeListing,
  type LaunchSettings,
} from "../../../scripts/lib/shared/market";
import { ballotFromPercents, launchFromFields, percentTotalBps, percentsFromBallot } from "./market-form";

const E18 = 10n ** 18n;
const TTD = { symbol: "TTD", decimals: 18 };
const DAY = 86_400n;

const LISTINGS: GaugeListing[] = [
  { id: 1, subnet: "0x1111111111111111111111111111111111111111", name: "" },
  { id: 4, subnet: "0x4444444444444444444444444444444444444444", name: "alpha" },
  { id: 5, subnet: "0x5555555555555555555555555555555555555555", name: "Beta" },
];
const KNOWN = { "0x1111111111111111111111111111111111111111": "Code subnet" };

const BASE: LaunchSettings = {
  commitDuration: 72_000,
  revealDuration: 14_400,
  immunityPeriod: 604_800,
  unbondingDelay: 1_296_000,
  kappa: 5_000,
  contributorShare: 8_500,
  validatorShare: 1_500,
  agreementThreshold: 5_000,
  maxStrikes: 3,
  activityCutoff: 7,
  relativeThreshold: 8_000,
  edgeShare: 1_000,
  edgeFloor: 1_000,
  bond: 10n * E18,
  minValidatorStake: 100n * E18,
};
const BOUNDS = {
  maxOwnerShareBps: 500,
  minBond: E18,
  maxBond: 1_000_000n * E18,
  minValidatorStake: 100n * E18,
};
const WEIGHTS = [3000, 2500, 2500, 2000];

describe("gauge ballots", () => {
  it("reads id:bps, name:percent and address pairs; none withdraws", () => {
    expect(parseBallot("4:5000, beta:25%", LISTINGS, 16)).toEqual({ ids: [4, 5], bps: [5000, 2500] });
    expect(parseBallot(`${LISTINGS[0]!.subnet}:12.5% #4:1`, LISTINGS, 16)).toEqual({
      ids: [1, 4],
      bps: [1250, 1],
    });
    expect(parseBallot("none", LISTINGS, 16)).toEqual({ ids: [], bps: [] });
    expect(parseBallot("", LISTINGS, 16)).toEqual({ ids: [], bps: [] });
  });
  it("refuses what the bucket refuses, saying why", () => {
    expect(() => parseBallot("4:60%,5:50%", LISTINGS, 16)).toThrow(
      "the shares sum to 110%: at most 100% of your power",
    );
    expect(() => parseBallot("4:10,alpha:10", LISTINGS, 16)).toThrow("gauge id 4 is named twice");
    expect(() => parseBallot("4:0", LISTINGS, 16)).toThrow("needs a share above zero");
    expect(() => parseBallot("9:10", LISTINGS, 16)).toThrow("no live subnet with gauge id 9");
    expect(() => parseBallot("4:10,5:10", LISTINGS, 1)).toThrow("at most 1 subnets (this one names 2)");
    expect(() => parseBallot("gamma:10", LISTINGS, 16)).toThrow(
      'no live subnet of this bucket is named "gamma"',
    );
    expect(() => parseBallot("alpha", LISTINGS, 16)).toThrow('"alpha" is not subnet:share');
    expect(() => parseBallot("alpha:lots", LISTINGS, 16)).toThrow('"lots" is not a share');
  });
  it("percentages as people type them", () => {
    expect(parseBps("25%")).toBe(2500);
    expect(parseBps("0.01%")).toBe(1);
    expect(parseBps("10000")).toBe(10_000);
    expect(() => parseBps("100.5%")).toThrow();
  });
  it("the form: percentages to a ballot and back, with its total", () => {
    const form = { 4: "60", 5: "", 1: "40%" };
    expect(ballotFromPercents(form, LISTINGS, 16)).toEqual({
      ok: true,
      value: { ids: [1, 4], bps: [4000, 6000] },
    });
    expect(percentTotalBps(form)).toBe(10_000);
    expect(ballotFromPercents({ 4: "70", 5: "40" }, LISTINGS, 16)).toEqual({
      ok: false,
      error: "the shares sum to 110%: at most 100% of your power",
    });
    expect(ballotFromPercents({ 4: "abc" }, LISTINGS, 16).ok).toBe(false);
    expect(percentTotalBps({ 4: "abc" })).toBeNaN();
    expect(percentsFromBallot({ ids: [4, 1], bps: [6000, 1250] })).toEqual({ 4: "60", 1: "12.5" });
    expect(ballotFromPercents({}, LISTINGS, 16)).toEqual({ ok: true, value: { ids: [], bps: [] } });
  });
  it("a ballot in words names genesis subnets by the deployment's names", () => {
    expect(ballotText({ ids: [4, 1, 9], bps: [6000, 3000, 1000] }, LISTINGS, KNOWN)).toBe(
      "alpha (#4) 60%, Code subnet (#1) 30%, #9 (no longer live) 10%",
    );
    expect(ballotText({ ids: [], bps: [] }, LISTINGS)).toBe("no votes");
  });
});

describe("periods and power", () => {
  const genesis = 1_800_000_000n;
  it("the current period, its snapshot and when a vote applies", () => {
    const t = periodTiming(genesis, genesis + 15n * DAY);
    expect(t).toEqual({
      period: 2n,
      start: genesis + 14n * DAY,
      next: genesis + 21n * DAY,
      snapshot: genesis + 14n * DAY - 1n,
    });
    expect(voteAppliesText(t, (x) => `<${x}>`)).toBe(
      `applies from period 3, starting <${genesis + 21n * DAY}>`,
    );
    expect(periodTiming(genesis, genesis).period).toBe(0n);
  });
  it("why a holder has no power", () => {
    const t0 = periodTiming(genesis, genesis + DAY);
    const t2 = periodTiming(genesis, genesis + 15n * DAY);
    expect(noPowerReason(5n, 5n, t2)).toBeUndefined();
    expect(noPowerReason(0n, 5n, t0)).toMatch(/^nobody has power in period 0/);
    expect(noPowerReason(0n, 0n, t2)).toMatch(/^you have no delegated votes/);
    expect(noPowerReason(0n, 5n, t2)).toMatch(/after this period's snapshot/);
  });
  it("what the gauge votes split", () => {
    expect(gaugePoolText(10_000)).toMatch(/^floors hold the whole bucket/);
    expect(gaugePoolText(2_500)).toBe("gauge votes split 75% of the bucket (floors hold 25%)");
    expect(gaugePoolText(0)).toBe("gauge votes split 100% of the bucket");
  });
});

describe("launch", () => {
  it("the cost doubles after a launch, within the pricing", () => {
    const pricing = { minCost: 1_000n * E18, maxCost: 3_000n * E18, decayPeriod: 14 * 86_400 };
    expect(costAfterLaunch(1_000n * E18, pricing)).toBe(2_000n * E18);
    expect(costAfterLaunch(2_000n * E18, pricing)).toBe(3_000n * E18);
    expect(launchCostText(1_000n * E18, pricing, TTD)).toBe(
      "1,000.0 TTD (burned; each launch doubles it, to 2,000.0 TTD right after the next one, and it decays " +
        "back over 14d; never under 1,000.0 TTD or over 3,000.0 TTD)",
    );
  });
  it("overrides over the genesis subnet's settings; unknown fields refused", () => {
    const s = applyOverrides(BASE, { bond: "20", ownerShare: 300, kappa: 6000 });
    expect(s.bond).toBe(20n * E18);
    expect(s.kappa).toBe(6000);
    expect(ownerShareBps(s)).toBe(300);
    expect(() => applyOverrides(BASE, { bnd: "2" })).toThrow(/^unknown setting "bnd": use commitDuration/);
    expect(() => applyOverrides(BASE, { kappa: 1.5 })).toThrow('kappa: "1.5" is not a whole number');
  });
  it("the bounds in plain words", () => {
    expect(launchProblems("alpha", { ...BASE, contributorShare: 8000 }, WEIGHTS, BOUNDS)).toEqual([]);
    expect(launchProblems("", { ...BASE, contributorShare: 7000, bond: 0n }, [1], BOUNDS)).toEqual([
      "the name must be 1 to 32 bytes (it is 0)",
      "the owner share is 15%: at most 5% (contributors and validators must get the rest)",
      "the contributor bond is 0.0 TTD: it must be 1.0 TTD to 1,000,000.0 TTD",
      "metric weights must be 1 to 8 positive values summing to 10,000 (got 1 summing to 1)",
    ]);
    expect(launchProblems("é".repeat(17), BASE, WEIGHTS, BOUNDS)).toEqual([
      "the name must be 1 to 32 bytes (it is 34)",
    ]);
  });
  it("the form's fields to settings", () => {
    const ok = launchFromFields({ name: "alpha", ownerShare: "5", bond: "25" }, BASE, WEIGHTS, BOUNDS);
    expect(ok.ok && ownerShareBps(ok.value)).toBe(500);
    expect(ok.ok && ok.value.bond).toBe(25n * E18);
    expect(launchFromFields({ name: "alpha", ownerShare: "6", bond: "25" }, BASE, WEIGHTS, BOUNDS)).toEqual({
      ok: false,
      error: "the owner share is 6%: at most 5% (contributors and validators must get the rest)",
    });
    expect(launchFromFields({ name: "alpha", ownerShare: "5", bond: "x" }, BASE, WEIGHTS, BOUNDS)).toEqual({
      ok: false,
      error: 'bond: "x" is not an amount (e.g. 20)',
    });
  });
  it("bucket names", () => {
    expect(bucketIndex("Community")).toBe(1);
    expect(bucketIndex("2")).toBe(2);
    expect(() => bucketIndex("capital")).toThrow('"capital" is not a contribution bucket');
  });
});

describe("fees and net issuance", () => {
  it("a fee reference: short text stored readable, a 32-byte hash as is", () => {
    const ref = feeRef("order-42");
    expect(ref).toBe(`0x${"6f726465722d3432".padEnd(64, "0")}`);
    expect(refText(ref)).toBe("order-42");
    const hash = `0x${"ab".repeat(32)}`;
    expect(feeRef(hash)).toBe(hash);
    expect(refText(hash)).toBe(hash);
    expect(feeRef("")).toBe(`0x${"0".repeat(64)}`);
    expect(refText(feeRef(""))).toBe("");
    expect(() => feeRef("x".repeat(33))).toThrow("is 33 bytes: at most 32");
  });
  it("the burn share of a fee", () => {
    expect(feeSplit(100n * E18, 5_000)).toEqual({ burned: 50n * E18, toRound: 50n * E18 });
    expect(feeSplit(3n, 5_000n)).toEqual({ burned: 1n, toRound: 2n });
  });
  it("net issuance is minted less burned: the supply", () => {
    expect(netIssuance(1_000n, 940n)).toEqual({ minted: 1_000n, burned: 60n, net: 940n });
  });
});
