/**
 * Proof-of-contribution scenarios for `npm run bench:gas` (imported by scripts/bench/gas.ts):
 * the largest subnet (256 contributors x 64 validators, 4 metrics) through one round, and a small
 * subnet claimed after 30 rounds.
 */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { hexlify, randomBytes } from "ethers";
import { fundedAccounts } from "../lib/chain/accounts";
import { GasRecorder } from "../lib/chain/gas";
import { DEFAULT_SUBNET_PARAMS, MAX_CONTRIBUTORS, commitment, encodeSheet } from "../lib/chain/poc";
import { Rng } from "../lib/chain/random";
import { finalizeRound, toPhase } from "../lib/chain/rounds";
import { deployStandaloneSubnet } from "../lib/deploy/subnet-fixture";
import { MockStakeToken, Subnet } from "../../typechain-types";

const VALIDATORS = 64;
const METRICS = 4;
/** Contributors per finalization transaction: keeps each under the 15,000,000-gas budget. */
export const FINALIZE_PAGE = Number(process.env.PAGE ?? 48);

export async function benchPoc(gas: GasRecorder): Promise<void> {
  const [deployer] = await ethers.getSigners();
  const rng = new Rng(42);
  const { token, bucket, subnet } = await deployStandaloneSubnet(deployer);
  const subnetAddress = await subnet.getAddress();
  const contributors = await fundedAccounts("bench/contributor", MAX_CONTRIBUTORS);
  const validators = await fundedAccounts("bench/validator", VALIDATORS);
  for (const a of [...contributors, ...validators]) {
    await token.mint(a.address, 10n ** 24n);
    await token.connect(a).approve(subnetAddress, ethers.MaxUint256);
  }

  for (const [i, c] of contributors.entries()) {
    const tx = subnet.connect(c).register(`https://contributor-${i}.example`);
    if (i === 0) await gas.record("poc.register", tx);
    else if (i === MAX_CONTRIBUTORS - 1) await gas.record("poc.register.256th", tx);
    else await (await tx).wait();
  }
  for (const [i, v] of validators.entries()) {
    const tx = subnet.connect(v).stake(DEFAULT_SUBNET_PARAMS.minValidatorStake + BigInt(i) * 10n ** 18n);
    if (i === 0) await gas.record("poc.validator.stake", tx);
    else await (await tx).wait();
  }

  // A new round so that every contributor is eligible (registered before the round started).
  await token.mint(await bucket.getAddress(), 10_000n * 10n ** 18n);
  await toPhase(subnet, "closed");
  await finalizeRound(subnet, FINALIZE_PAGE);

  const truth = Array.from({ length: MAX_CONTRIBUTORS }, () =>
    Array.from({ length: METRICS }, () => rng.int(0, 65_535)),
  );
  const round = await subnet.round();
  const sheets: { sheet: string; salt: string }[] = [];
  for (const [i, v] of validators.entries()) {
    // Honest validators see the truth with a little noise.
    const rows = truth.map((row) => row.map((x) => Math.min(65_535, Math.max(0, x + rng.int(-500, 500)))));
    const sheet = encodeSheet(rows, METRICS);
    const salt = hexlify(randomBytes(32));
    sheets.push({ sheet, salt });
    const tx = subnet.connect(v).commit(commitment(subnetAddress, round, v.address, salt, sheet));
    if (i === 0) await gas.record("poc.commit", tx);
    else await (await tx).wait();
  }
  await toPhase(subnet, "reveal");
  for (const [i, v] of validators.entries()) {
    const tx = subnet.connect(v).reveal(sheets[i].sheet, sheets[i].salt);
    if (i === 0) await gas.record("poc.reveal.256x4", tx);
    else await (await tx).wait();
  }
  await token.mint(await bucket.getAddress(), 10_000n * 10n ** 18n);
  await toPhase(subnet, "closed");
  // Finalized past everyone's immunity: the eviction list is made from all 256 (the costliest list).
  await time.increase(DEFAULT_SUBNET_PARAMS.immunityPeriod);
  const used: number[] = [];
  for (const tx of await finalizeRound(subnet, FINALIZE_PAGE)) used.push(Number((await tx.wait())!.gasUsed));
  gas.report["poc.finalize.256x64.maxTx"] = Math.max(...used);
  gas.report["poc.finalize.256x64.total"] = used.reduce((a, b) => a + b, 0);
  gas.report["poc.finalize.256x64.txs"] = used.length;
  await benchRegisterFull(gas, subnet, token);

  await benchClaimAfter30Rounds(gas);
}

/**
 * A newcomer registers in the full subnet (256 contributors, every one past immunity at the last
 * finalization): it burns the fee and evicts the first listed candidate, in O(1).
 */
export async function benchRegisterFull(
  gas: GasRecorder,
  subnet: Subnet,
  token: MockStakeToken,
): Promise<number> {
  const [newcomer] = await fundedAccounts("bench/newcomer", 1);
  await (await token.mint(newcomer.address, 10n ** 24n)).wait();
  await (await token.connect(newcomer).approve(await subnet.getAddress(), ethers.MaxUint256)).wait();
  if ((await subnet.evictionCandidates()).length === 0)
    throw new Error("poc.register.full: no candidate listed");
  return gas.record("poc.register.full", subnet.connect(newcomer).register("https://newcomer.example"));
}

/** A small subnet runs 30 rounds; one contributor then claims all 30 in one O(1) call. */
async function benchClaimAfter30Rounds(gas: GasRecorder): Promise<void> {
  const [deployer] = await ethers.getSigners();
  const { token, bucket, subnet } = await deployStandaloneSubnet(deployer);
  const subnetAddress = await subnet.getAddress();
  const [alice, bob, val] = await fundedAccounts("bench/small", 3);
  for (const a of [alice, bob, val]) {
    await token.mint(a.address, 10n ** 24n);
    await token.connect(a).approve(subnetAddress, ethers.MaxUint256);
  }
  await subnet.connect(alice).register("alice");
  await subnet.connect(bob).register("bob");
  await subnet.connect(val).stake(DEFAULT_SUBNET_PARAMS.minValidatorStake);
  await token.mint(deployer.address, 10n ** 24n); // keeps the deployer's balance slot warm-neutral
  await toPhase(subnet, "closed");
  await finalizeRound(subnet, FINALIZE_PAGE);
  await subnet.connect(alice).claim(); // alice already holds TTD when she claims again
  for (let r = 0; r < 30; r++) {
    const round = await subnet.round();
    const sheet = encodeSheet(
      [
        [40_000, 30_000, 20_000, 10_000],
        [10_000, 20_000, 30_000, 40_000],
      ],
      METRICS,
    );
    const salt = hexlify(randomBytes(32));
    await subnet.connect(val).commit(commitment(subnetAddress, round, val.address, salt, sheet));
    await toPhase(subnet, "reveal");
    await subnet.connect(val).reveal(sheet, salt);
    await token.mint(await bucket.getAddress(), 100n * 10n ** 18n);
    await toPhase(subnet, "closed");
    await finalizeRound(subnet, FINALIZE_PAGE);
  }
  await gas.record("poc.claim", subnet.connect(alice).claim());
}
