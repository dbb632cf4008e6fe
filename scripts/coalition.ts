/**
 * The coalition measurement (scripts/lib/sim/coalition.ts): runs the small coalition scenario on the
 * in-process Hardhat network and prints the friends' premium, every subnet's, and with --rounds every round.
 *
 *   npx ts-node --transpile-only scripts/coalition.ts [--seeds 1,2,3] [--days 20] [--contributors 8] [--validators 4] [--stakers 1] [--rounds]
 *       [--param kappa=6000 ...]   (subnet parameters other than DEFAULT_SUBNET_PARAMS, for experiments)
 */
import hre from "hardhat";

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (name: string): string | undefined => {
    const i = args.indexOf(`--${name}`);
    return i === -1 ? undefined : args[i + 1];
  };
  await hre.run("compile", { quiet: true });
  const { coalitionPremium, coalitionMajority } = await import("./lib/sim/coalition");
  const { stages, deployCore, deployGovernance } = await import("../deploy/stages");
  const { DEFAULT_SUBNET_PARAMS } = await import("./lib/chain/poc");
  const params: Record<string, number> = {};
  args.forEach((a, i) => {
    if (a !== "--param") return;
    const [k, v] = args[i + 1].split("=");
    if (!(k in DEFAULT_SUBNET_PARAMS)) throw new Error(`--param: unknown subnet parameter ${k}`);
    params[k] = Number(v);
  });
  const deploy =
    Object.keys(params).length === 0
      ? stages(hre)
      : {
          core: (deployer: Parameters<typeof deployCore>[1]) =>
            deployCore(hre, deployer, { subnetParams: { ...DEFAULT_SUBNET_PARAMS, ...params } }),
          governance: (core: Parameters<typeof deployGovernance>[1]) => deployGovernance(hre, core),
        };
  const { BUCKET_NAMES } = await import("./lib/chain/constants");
  const opts: Record<string, number> = {};
  for (const k of ["days", "contributors", "validators", "stakers"]) {
    const v = value(k);
    if (v !== undefined) opts[k] = Number(v);
  }
  const seeds = value("seeds")?.split(",").map(Number);
  const started = Date.now();
  const { results, ...stats } = await coalitionPremium({
    ...opts,
    ...(seeds ? { seeds } : {}),
    deploy,
  });
  const seconds = (Date.now() - started) / 1000;
  if (args.includes("--rounds")) {
    const pct = (a: bigint, b: bigint) => (b === 0n ? "-" : (Number((a * 10000n) / b) / 100).toFixed(2));
    for (const result of results) {
      for (const r of result.rounds) {
        const who = r.revealers.map((v) => `${v.kind[0]}${v.stake / 10n ** 18n}`).join(",");
        console.log(
          `seed ${result.config.seed} day ${String(r.day).padStart(3)} ${BUCKET_NAMES[r.bucket].padEnd(9)} ${r.onboarded ? "all" : "   "} revealers ${who.padEnd(20)}${coalitionMajority(r) ? " MAJ" : "    "} friends: truth ${pct(r.friendsTruth, r.totalTruth).padStart(6)}% score ${pct(r.friendsScore, r.totalScore).padStart(6)}% reward ${pct(r.friendsReward, r.totalReward).padStart(6)}% of ${(Number(r.totalReward / 10n ** 15n) / 1000).toFixed(0)} TTD`,
        );
      }
    }
  }
  const round = (x: unknown): unknown =>
    typeof x === "number"
      ? Number(x.toFixed(4))
      : Array.isArray(x)
        ? x.map(round)
        : x !== null && typeof x === "object"
          ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, round(v)]))
          : x;
  console.log(
    JSON.stringify(
      round({
        ...stats,
        size: { ...results[0].config, seeds: results.map((r) => r.config.seed) },
        params,
        seconds,
      }),
      null,
      1,
    ),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
