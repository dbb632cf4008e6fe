/**
 * Consensus attacks on the Subnet (issue 14), run for real on the in-process Hardhat network through
 * the arena (./arena.ts). Each scenario plays a fresh subnet, reads the finalizations' events and
 * returns flat numeric metrics with the bounds they must hold; `npm run bench:adversarial`
 * (scripts/bench/adversarial.ts) writes them to reports/adversarial.json, and
 * test/security/Consensus.attacks.test.ts asserts the bounds, one `it` per scenario, on the same
 * cached run (`scenarioOutcome`).
 *
 * Common setting: 10 honest contributors with true quality uniform in 2,000-20,000 (sheet units) and
 * sybil contributors holding 10% of the total true quality; honest validators score the truth;
 * 1,000 TTD of emission per round; default subnet settings; seeded, deterministic.
 *
 * Metrics:
 * - sybilExcessPp: sybils' share of the contributor rewards minus their share of the true quality,
 *   percentage points, worst round of the run;
 * - dividendRatio: an attacker's dividends per staked TTD, summed over the run, over the honest
 *   validators' median dividends per staked TTD;
 * - expelledByRound: the run's round in which the attacker (the last member of a coalition) lost its
 *   permit, NEVER (999) if it kept it;
 * - honestExpelled: honest validators expelled during the run.
 *
 * The blatant coalition of the offline scenarios is opportunistic: commits are public, so it commits
 * last and goes blatant (its sybils at 65,535, honest contributors 0) only in a round where it holds
 * more stake than the other validators that committed; otherwise it scores the truth (a coalition
 * blatant every round is expelled for low agreement after 3 rounds, before anyone goes offline).
 */
import { Result } from "ethers";
import hre from "hardhat";
import { stages } from "../../../deploy/stages";
import { coalitionPremium } from "../../lib/sim/coalition";
import {
  Arena,
  ArenaConfig,
  MAX_SCORE,
  RoundRecord,
  Strategy,
  TTD,
  ValidatorSpec,
  median,
  uniform,
} from "./arena";

/** expelledByRound when the attacker was never expelled. */
export const NEVER = 999;
const SEED = 14;
/** The noise scenario's seeds: its ratio moves with the draw, so it reports the worst of five. */
const NOISE_SEEDS = [1, 2, 3, 4, 5];
const HONEST_CONTRIBUTORS = 10;
const SYBIL_SHARE = 0.1;
const DAY = 86_400;

export interface Bound {
  key: string;
  op: "<=" | ">=" | "==";
  limit: number;
}

export interface ScenarioOutcome {
  metrics: Record<string, number>;
  /** JSON-ready details of every arena played (for reports/adversarial-runs.json). */
  runs: Record<string, unknown>[];
}

export interface ScenarioDef {
  id: string;
  description: string;
  bounds: Bound[];
  run(): Promise<ScenarioOutcome>;
}

/* ------------------------------------------------------------------ strategies */

const truthful: Strategy = (v) => [...v.truth];

const blatant: Strategy = (v) => v.sybil.map((s) => (s ? MAX_SCORE : 0));

function noisy(eps: number): Strategy {
  return (v) => v.truth.map((t) => t * uniform(v.rng, 1 - eps, 1 + eps));
}

function offlineIn(rounds: readonly number[]): Strategy {
  return (v) => (rounds.includes(v.index) ? null : [...v.truth]);
}

/** Blatant when the coalition outweighs the other committed stake, truthful otherwise. */
function opportunist(coalition: readonly string[]): Strategy {
  return (v) => {
    const mine = coalition.reduce((a, n) => a + v.stakeOf(n), 0);
    const others = [...v.committed]
      .filter((n) => !coalition.includes(n))
      .reduce((a, n) => a + v.stakeOf(n), 0);
    return mine > others ? blatant(v) : [...v.truth];
  };
}

/** Reveals the last published consensus (truthful in the warm-up round, when none exists yet). */
function copyConsensus(warmup: number): Strategy {
  return (v) => (v.index <= warmup ? [...v.truth] : [...v.prevConsensus]);
}

/** Reveals `target`'s previous sheet (truthful until there is one). */
function copySheet(target: string): Strategy {
  return (v) => [...(v.prevSheets.get(target) ?? v.truth)];
}

/** The same value, the mean true quality, for every contributor. */
const constantMean: Strategy = (v) => {
  const mean = v.truth.reduce((a, b) => a + b, 0) / v.truth.length;
  return v.truth.map(() => mean);
};

/** Honest contributors at 70% of the truth, sybils at 3x. */
const stealth: Strategy = (v) => v.truth.map((t, j) => (v.sybil[j] ? 3 * t : 0.7 * t));

/* ------------------------------------------------------------------ helpers */

function validators(
  group: string,
  prefix: string,
  stakes: readonly number[],
  strategy: (i: number) => Strategy,
): ValidatorSpec[] {
  return stakes.map((stake, i) => ({ name: `${prefix}${i}`, group, stake, strategy: strategy(i) }));
}

function config(label: string, vs: ValidatorSpec[], drift: number, sybils = 2): ArenaConfig {
  return {
    label,
    seed: SEED,
    honestContributors: HONEST_CONTRIBUTORS,
    sybils,
    sybilShare: SYBIL_SHARE,
    drift,
    validators: vs,
  };
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

function worstExcess(rounds: readonly RoundRecord[]): number {
  return round4(Math.max(0, ...rounds.map((r) => r.excessPp)));
}

function honestExpelled(arena: Arena): number {
  const honest = new Set(arena.members("honest"));
  return arena.rounds.reduce((a, r) => a + r.expelled.filter((x) => honest.has(x.name)).length, 0);
}

/** Dividend per staked TTD of `names` over the honest validators' median, over rounds passing `counted`. */
function dividendRatio(arena: Arena, names: readonly string[], counted?: (i: number) => boolean): number {
  const honest = median(arena.members("honest").map((h) => arena.dividendPerStake([h], counted)));
  const mine = arena.dividendPerStake(names, counted);
  return honest === 0 ? (mine === 0 ? 1 : NEVER) : round4(mine / honest);
}

/** The round the last of `names` was expelled in; NEVER if one of them kept its permit. */
function expelledByRound(arena: Arena, names: readonly string[]): number {
  const at = names.map((n) => arena.expelledAt(n));
  return at.some((x) => x === undefined) ? NEVER : Math.max(...(at as number[]));
}

function ttd(x: bigint): number {
  return Number((x * 10n ** 6n) / TTD) / 1e6;
}

/** JSON-ready record of an arena's run. */
async function describe(arena: Arena): Promise<Record<string, unknown>> {
  const c = arena.config;
  return {
    label: c.label,
    seed: c.seed,
    honestContributors: c.honestContributors,
    sybils: c.sybils,
    sybilShare: c.sybilShare,
    drift: c.drift,
    params: await paramsOf(arena),
    validators: c.validators.map((v) => ({ name: v.name, group: v.group, stake: v.stake })),
    rounds: arena.rounds.map((r) => ({
      index: r.index,
      chainRound: r.chainRound,
      pool: ttd(r.pool),
      contributorPaid: ttd(r.contributorPaid),
      sybilRewardPct: r.sybilRewardPct === null ? null : round4(r.sybilRewardPct),
      sybilTruePct: round4(r.sybilTruePct),
      excessPp: round4(r.excessPp),
      medianBps: r.medianBps,
      laggedBps: r.laggedBps,
      revealed: r.revealed,
      dividends: Object.fromEntries(
        [...r.dividends].map(([n, d]) => [n, { agreementBps: d.agreementBps, reward: ttd(d.reward) }]),
      ),
      expelled: r.expelled,
    })),
  };
}

/* ------------------------------------------------------------------ scenarios */

const HONEST_5 = [1000, 1000, 1000, 1000, 1100]; // 51% of 10,000 TTD; h0 and h1 hold 10% each
const COALITION_49 = [2450, 2450];

async function offlineCoalition(
  key: string,
  offline: readonly string[],
  rounds: readonly number[],
): Promise<ScenarioOutcome> {
  const coalition = ["c0", "c1"];
  const vs = [
    ...validators("honest", "h", HONEST_5, (i) => (offline.includes(`h${i}`) ? offlineIn(rounds) : truthful)),
    ...validators("coalition", "c", COALITION_49, () => opportunist(coalition)),
  ];
  const arena = await Arena.open(config(key, vs, 0));
  await arena.playMany(12);
  return {
    metrics: {
      [`${key}.sybilExcessPp`]: worstExcess(arena.rounds),
      [`${key}.honestExpelled`]: honestExpelled(arena),
      [`${key}.coalitionExpelledByRound`]: expelledByRound(arena, coalition),
    },
    runs: [await describe(arena)],
  };
}

export const SCENARIOS: ScenarioDef[] = [
  {
    id: "offline.coalition49.honestOffline10",
    description:
      "A 49% coalition (opportunistically blatant) and honest validators holding 10% of the stake who miss round 5's commit; 12 rounds, static quality.",
    bounds: [
      { key: "offline.coalition49.honestOffline10.sybilExcessPp", op: "<=", limit: 2 },
      { key: "offline.coalition49.honestOffline10.honestExpelled", op: "==", limit: 0 },
    ],
    run: () => offlineCoalition("offline.coalition49.honestOffline10", ["h0"], [5]),
  },
  {
    id: "offline.loneRevealer",
    description:
      "Five honest validators and a 0.33%-stake validator reveal honestly for 3 rounds; in round 4 only the small one reveals (its sybil at 65,535, everyone else 0) and the round is finalized after 30 days with 30,000 TTD in the pool.",
    bounds: [{ key: "offline.loneRevealer.sybilExcessPp", op: "<=", limit: 2 }],
    run: async () => {
      const key = "offline.loneRevealer";
      const lone = 4;
      const vs = [
        ...validators("honest", "h", [5980, 5980, 5980, 5980, 5980], () => offlineIn([lone])),
        {
          name: "lone",
          group: "lone",
          stake: 100,
          strategy: ((v) => (v.index === lone ? blatant(v) : [...v.truth])) as Strategy,
        },
      ];
      const arena = await Arena.open(config(key, vs, 0, 1));
      await arena.playMany(lone - 1);
      const r = await arena.play({ emission: 30_000n * TTD, finalizeDelay: 30 * DAY });
      return {
        metrics: {
          [`${key}.sybilExcessPp`]: round4(Math.max(0, r.excessPp)),
          [`${key}.pool`]: ttd(r.pool),
          [`${key}.loneDividend`]: ttd(r.dividends.get("lone")?.reward ?? 0n),
        },
        runs: [await describe(arena)],
      };
    },
  },
  {
    id: "offline.coalition49.honestOffline20x3",
    description:
      "A 49% coalition (opportunistically blatant) and honest validators holding 20% of the stake who miss rounds 5, 6 and 7; 12 rounds, static quality.",
    bounds: [
      { key: "offline.coalition49.honestOffline20x3.sybilExcessPp", op: "<=", limit: 3 },
      { key: "offline.coalition49.honestOffline20x3.honestExpelled", op: "==", limit: 0 },
    ],
    run: () => offlineCoalition("offline.coalition49.honestOffline20x3", ["h0", "h1"], [5, 6, 7]),
  },
  {
    id: "copier.prevConsensus",
    description:
      "A validator (1/6 of the stake) reveals the last published consensus; five honest validators score the truth. Round 1 is a warm-up (the copier is truthful, not counted); 12 counted rounds with quality drifting +-20% a round, and the same with static quality.",
    bounds: [{ key: "copier.prevConsensus.drift20.dividendRatio", op: "<=", limit: 0.6 }],
    run: () => copierScenario("copier.prevConsensus", copyConsensus(1)),
  },
  {
    id: "copier.prevSheet",
    description:
      "A validator (1/6 of the stake) reveals honest validator h0's previous sheet; five honest validators score the truth; quality drifts +-20% a round; round 1 is a warm-up, 12 counted rounds.",
    bounds: [{ key: "copier.prevSheet.drift20.dividendRatio", op: "<=", limit: 0.6 }],
    run: () => copierScenario("copier.prevSheet", copySheet("h0"), [0.2]),
  },
  {
    id: "constantSheet",
    description:
      "A validator (1/6 of the stake) reveals the mean true quality for every contributor; five honest validators score the truth; quality drifts +-20% a round; 12 rounds.",
    bounds: [
      { key: "constantSheet.dividendRatio", op: "<=", limit: 0.25 },
      { key: "constantSheet.expelledByRound", op: "<=", limit: 5 },
    ],
    run: async () => {
      const key = "constantSheet";
      const vs = [
        ...validators("honest", "h", [1000, 1000, 1000, 1000, 1000], () => truthful),
        { name: "k", group: "constant", stake: 1000, strategy: constantMean },
      ];
      const arena = await Arena.open(config(key, vs, 0.2));
      await arena.playMany(12);
      return {
        metrics: {
          [`${key}.dividendRatio`]: dividendRatio(arena, ["k"]),
          [`${key}.expelledByRound`]: expelledByRound(arena, ["k"]),
        },
        runs: [await describe(arena)],
      };
    },
  },
  ...[25, 49].map((pct): ScenarioDef => ({
    id: `stealth.coalition${pct}`,
    description: `A coalition with ${pct}% of the stake rates honest contributors at 70% of the truth and its sybils at 3x; honest validators score the truth; quality drifts +-20% a round; 12 rounds.`,
    bounds: [
      { key: `stealth.coalition${pct}.sybilExcessPp`, op: "<=", limit: 1 },
      { key: `stealth.coalition${pct}.dividendRatio`, op: "<=", limit: 0.5 },
    ],
    run: async () => {
      const key = `stealth.coalition${pct}`;
      const honest = pct === 25 ? [1250, 1250, 1250, 1250, 1250, 1250] : [1020, 1020, 1020, 1020, 1020];
      const coalition = pct === 25 ? [1250, 1250] : COALITION_49;
      const vs = [
        ...validators("honest", "h", honest, () => truthful),
        ...validators("coalition", "c", coalition, () => stealth),
      ];
      const arena = await Arena.open(config(key, vs, 0.2));
      await arena.playMany(12);
      const members = arena.members("coalition");
      return {
        metrics: {
          [`${key}.sybilExcessPp`]: worstExcess(arena.rounds),
          [`${key}.dividendRatio`]: dividendRatio(arena, members),
          [`${key}.expelledByRound`]: expelledByRound(arena, members),
        },
        runs: [await describe(arena)],
      };
    },
  })),
  {
    id: "honest.noise10",
    description:
      "Six honest validators with equal stakes over 30 rounds, quality drifting +-20% a round: three add +-10% uniform multiplicative noise to every cell, three are exact. Played with five seeds; the ratio is the worst seed's.",
    bounds: [
      { key: "honest.noise10.dividendRatio", op: ">=", limit: 0.95 },
      { key: "honest.noise10.expelled", op: "==", limit: 0 },
    ],
    run: async () => {
      const key = "honest.noise10";
      const metrics: Record<string, number> = {};
      const runs: Record<string, unknown>[] = [];
      let worst = Infinity;
      let expelled = 0;
      for (const seed of NOISE_SEEDS) {
        const vs = [
          ...validators("honest", "h", [1000, 1000, 1000], () => truthful),
          ...validators("noisy", "n", [1000, 1000, 1000], () => noisy(0.1)),
        ];
        const arena = await Arena.open({ ...config(`${key}.seed${seed}`, vs, 0.2), seed });
        await arena.playMany(30);
        const ratio =
          arena.dividendPerStake(arena.members("noisy")) / arena.dividendPerStake(arena.members("honest"));
        metrics[`${key}.seed${seed}.dividendRatio`] = round4(ratio);
        worst = Math.min(worst, ratio);
        expelled += arena.rounds.reduce((a, r) => a + r.expelled.length, 0);
        runs.push(await describe(arena));
      }
      metrics[`${key}.dividendRatio`] = round4(worst);
      metrics[`${key}.expelled`] = expelled;
      return { metrics, runs };
    },
  },
  {
    id: "sim.coalition25",
    description:
      "The economy simulation (scripts/lib/sim) with a quarter of each subnet's validators colluding (20-31% of the stake): 20 days, 8 contributors and 4 validators per subnet, seeds 1-3. friendsPremium = the colluders' friends' rewards over what the same rounds would have paid them for their true output, counted after every validator joined, pooled (scripts/lib/sim/coalition.ts); sharePremium = the whole-run share ratio of the worst subnet (reported).",
    bounds: [{ key: "sim.coalition25.friendsPremium", op: "<=", limit: 1.1 }],
    run: async () => {
      const stats = await coalitionPremium({ deploy: stages(hre) });
      return {
        metrics: {
          "sim.coalition25.friendsPremium": round4(stats.friendsPremium),
          "sim.coalition25.worstSubnetPremium": round4(stats.worstSubnetPremium),
          "sim.coalition25.sharePremium": round4(stats.sharePremium),
        },
        runs: [],
      };
    },
  },
];

async function copierScenario(
  key: string,
  copier: Strategy,
  drifts: readonly number[] = [0.2, 0],
): Promise<ScenarioOutcome> {
  const metrics: Record<string, number> = {};
  const runs: Record<string, unknown>[] = [];
  for (const drift of drifts) {
    const name = `${key}.${drift === 0 ? "static" : `drift${Math.round(drift * 100)}`}`;
    const vs = [
      ...validators("honest", "h", [1000, 1000, 1000, 1000, 1000], () => truthful),
      { name: "x", group: "copier", stake: 1000, strategy: copier },
    ];
    const arena = await Arena.open(config(name, vs, drift));
    await arena.playMany(13);
    const counted = (i: number): boolean => i > 1;
    metrics[`${name}.dividendRatio`] = dividendRatio(arena, ["x"], counted);
    metrics[`${name}.expelledByRound`] = expelledByRound(arena, ["x"]);
    runs.push(await describe(arena));
  }
  return { metrics, runs };
}

/* ------------------------------------------------------------------ cache and checks */

const cache = new Map<string, Promise<ScenarioOutcome>>();

/** The scenario's outcome, run once per process (the bench and the tests share it). */
export function scenarioOutcome(id: string): Promise<ScenarioOutcome> {
  let p = cache.get(id);
  if (!p) {
    const def = SCENARIOS.find((s) => s.id === id);
    if (!def) throw new Error(`no scenario ${id}`);
    p = def.run();
    cache.set(id, p);
  }
  return p;
}

/** The bounds `metrics` breaks, as readable lines (empty when every bound holds). */
export function brokenBounds(bounds: readonly Bound[], metrics: Record<string, number>): string[] {
  const out: string[] = [];
  for (const b of bounds) {
    const v = metrics[b.key];
    const ok =
      v !== undefined && (b.op === "<=" ? v <= b.limit : b.op === ">=" ? v >= b.limit : v === b.limit);
    if (!ok) out.push(`${b.key} = ${v} (bound ${b.op} ${b.limit})`);
  }
  return out;
}

/** The subnet settings in force in an arena, flat numbers (for the report). */
export async function paramsOf(arena: Arena): Promise<Record<string, number>> {
  const [current] = await arena.subnet.params();
  const obj = (current as unknown as Result).toObject() as Record<string, bigint>;
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, Number(v)]));
}
