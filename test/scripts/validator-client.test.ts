import { expect } from "chai";
import { promises as fs } from "fs";
import * as os from "os";
import * as path from "path";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { Subnet } from "../../typechain-types";
import { fold } from "../../scripts/lib/models/consensus";
import {
  DEFAULT_METRIC_WEIGHTS,
  DEFAULT_SUBNET_PARAMS,
  commitment,
  encodeSheet,
} from "../../scripts/lib/chain/poc";
import { deployStandaloneSubnet } from "../../scripts/lib/deploy/subnet-fixture";
import {
  Clock,
  SaltKey,
  SaltStore,
  StepResult,
  buildRows,
  buildSheet,
  commitScores,
  parseRoundMetrics,
  resolveSlots,
  revealScores,
  runValidator,
  step,
  validatorStatus,
} from "../../scripts/lib/validator/client";
import { toPhase } from "../../scripts/lib/chain/rounds";

const SUBNET = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const METRICS = 4;

/** Chain time, moved forward instead of waited for. */
const hardhatClock: Clock = {
  now: async () => BigInt(await time.latest()),
  waitUntil: async (t) => {
    if (t !== null && BigInt(await time.latest()) < t) await time.increaseTo(t);
  },
};

/** What `fn` throws (synchronously or not), as a message. */
async function failure(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error("expected an error, none was thrown");
}

describe("validator client", () => {
  describe("parseRoundMetrics", () => {
    const good = () => ({
      subnet: SUBNET,
      round: 7,
      contributors: [
        { slot: 0, values: [1, 2, 3, 4] },
        { slot: 5, values: [0, 65_535, 0, 65_535] },
        { address: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", values: [9, 9, 9, 9] },
      ],
    });
    /** The good file with `edit` applied to a fresh copy. */
    const bad = (
      edit: (j: Record<string, unknown> & { contributors: Record<string, unknown>[] }) => void,
    ) => {
      const j = good() as unknown as Record<string, unknown> & { contributors: Record<string, unknown>[] };
      edit(j);
      return j;
    };
    const rejects = (json: unknown, message: string) =>
      expect(() => parseRoundMetrics(json, METRICS)).to.throw(Error, message);

    it("accepts a well-formed file, normalizing addresses", () => {
      const m = parseRoundMetrics(good(), METRICS);
      expect(m.subnet).to.equal(SUBNET);
      expect(m.round).to.equal(7n);
      expect(m.contributors).to.have.length(3);
      expect(m.contributors[1]).to.deep.equal({ index: 1, slot: 5, values: [0, 65_535, 0, 65_535] });
      expect(m.contributors[2].address).to.equal("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
      expect(parseRoundMetrics({ subnet: SUBNET, contributors: [] }, 1).round).to.equal(undefined);
    });

    it("rejects a non-object", () => {
      rejects(null, "metrics file: expected a JSON object, got null");
      rejects([], "metrics file: expected a JSON object, got an array");
      rejects("x", "metrics file: expected a JSON object, got a string");
    });

    it("rejects a missing or bad subnet and round", () => {
      rejects(
        bad((j) => delete j.subnet),
        "subnet: missing",
      );
      rejects(
        bad((j) => (j.subnet = "0x1234")),
        'subnet: "0x1234" is not an address',
      );
      rejects(
        bad((j) => (j.round = 0)),
        "round: 0 is not a round number",
      );
      rejects(
        bad((j) => (j.round = "7")),
        'round: "7" is not a round number',
      );
    });

    it("rejects missing or non-array contributors and non-object entries", () => {
      rejects(
        bad((j) => Reflect.deleteProperty(j, "contributors")),
        "contributors: missing",
      );
      rejects(
        bad((j) => (j.contributors = {} as never)),
        "contributors: expected an array, got an object",
      );
      rejects(
        bad((j) => (j.contributors[1] = 5 as never)),
        "contributors[1]: expected an object, got a number",
      );
    });

    it("rejects a wrong metric count", () => {
      rejects(
        bad((j) => (j.contributors[2].values = [1, 2, 3])),
        "contributors[2].values: expected 4 metrics, got 3",
      );
      rejects(
        bad((j) => delete j.contributors[0].values),
        "contributors[0].values: missing",
      );
      rejects(
        bad((j) => (j.contributors[0].values = "1,2,3,4")),
        "contributors[0].values: expected an array, got a string",
      );
      expect(() => parseRoundMetrics(good(), 9)).to.throw(
        RangeError,
        "metricCount must be an integer in 1-8",
      );
    });

    it("rejects values out of range or not integers", () => {
      rejects(
        bad((j) => (j.contributors[1].values = [0, 70_000, 0, 0])),
        "contributors[1].values[1]: 70000 is not an integer in 0-65535",
      );
      rejects(
        bad((j) => (j.contributors[0].values = [0, 0, -1, 0])),
        "contributors[0].values[2]: -1 is not an integer in 0-65535",
      );
      rejects(
        bad((j) => (j.contributors[0].values = [0, 0, 0, 1.5])),
        "contributors[0].values[3]: 1.5 is not an integer in 0-65535",
      );
      rejects(
        bad((j) => (j.contributors[2].values = ["1", 0, 0, 0])),
        'contributors[2].values[0]: "1" is not an integer in 0-65535',
      );
      rejects(
        bad((j) => (j.contributors[2].values = [null, 0, 0, 0])),
        "contributors[2].values[0]: null is not an integer in 0-65535",
      );
    });

    it("rejects negative, too large, non-integer and duplicate slots", () => {
      rejects(
        bad((j) => (j.contributors[1].slot = -1)),
        "contributors[1].slot: -1 is not an integer in 0-255",
      );
      rejects(
        bad((j) => (j.contributors[1].slot = 256)),
        "contributors[1].slot: 256 is not an integer in 0-255",
      );
      rejects(
        bad((j) => (j.contributors[1].slot = 2.5)),
        "contributors[1].slot: 2.5 is not an integer in 0-255",
      );
      rejects(
        bad((j) => (j.contributors[1].slot = 0)),
        "contributors[1].slot: duplicate slot 0 (also contributors[0])",
      );
    });

    it("rejects bad, duplicate or ambiguous addresses", () => {
      rejects(
        bad((j) => (j.contributors[2].address = "0x7099")),
        'contributors[2].address: "0x7099" is not an address',
      );
      rejects(
        // a mixed-case address with a wrong checksum
        bad((j) => (j.contributors[2].address = "0x70997970C51812dc3A010C7d01b50e0d17dc79c8")),
        "contributors[2].address: ",
      );
      rejects(
        bad((j) =>
          j.contributors.push({
            address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
            values: [0, 0, 0, 0],
          }),
        ),
        "contributors[3].address: duplicate address 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 (also contributors[2])",
      );
      rejects(
        bad((j) => (j.contributors[0].address = SUBNET)),
        `contributors[0]: give "slot" or "address", not both`,
      );
      rejects(
        bad((j) => delete j.contributors[0].slot),
        `contributors[0]: missing "slot" (or "address")`,
      );
    });

    it("builds rows for slots 0..max, missing slots all zero", () => {
      const entries = [
        { slot: 3, values: [7, 8] },
        { slot: 1, values: [1, 2] },
      ];
      expect(buildRows(entries, 2)).to.deep.equal([
        [0, 0],
        [1, 2],
        [0, 0],
        [7, 8],
      ]);
      expect(buildSheet(entries, 2)).to.equal("0x00000000000100020000000000070008");
      expect(buildSheet(entries, 2)).to.equal(encodeSheet(buildRows(entries, 2), 2));
      expect(buildSheet([], 2)).to.equal("0x");
    });
  });

  describe("on a standalone subnet", () => {
    let saltRoot: string;
    before(async () => {
      saltRoot = await fs.mkdtemp(path.join(os.tmpdir(), "validator-client-"));
    });
    after(async () => {
      await fs.rm(saltRoot, { recursive: true, force: true });
    });
    let dirs = 0;
    const freshStore = () => new SaltStore(path.join(saltRoot, `store-${++dirs}`, "nested"));

    /** Three contributors and a staked validator, in round 2 (so all three are eligible). */
    async function fixture() {
      const [deployer, c0, c1, c2, validator, outsider] = await ethers.getSigners();
      const { token, bucket, subnet } = await deployStandaloneSubnet(deployer);
      const address = await subnet.getAddress();
      for (const a of [c0, c1, c2, validator, outsider]) {
        await token.mint(a.address, 10n ** 24n);
        await token.connect(a).approve(address, ethers.MaxUint256);
      }
      for (const [i, c] of [c0, c1, c2].entries()) await subnet.connect(c).register(`contributor-${i}`);
      await subnet.connect(validator).stake(DEFAULT_SUBNET_PARAMS.minValidatorStake);
      const [, , revealEnd] = await subnet.roundTimes();
      await time.increaseTo(revealEnd);
      await subnet.finalizeRound(32); // round 1 had no reveals: closes at once
      expect(await subnet.round()).to.equal(2n);
      return { token, bucket, subnet, address, contributors: [c0, c1, c2], validator, outsider };
    }

    const metricsFor = (address: string, c2: string) => ({
      subnet: address,
      round: 2,
      contributors: [
        { slot: 0, values: [40_000, 30_000, 20_000, 10_000] },
        { address: c2, values: [1_000, 2_000, 3_000, 4_000] },
      ],
    });

    async function keyFor(subnet: Subnet, validator: HardhatEthersSigner): Promise<SaltKey> {
      return {
        chainId: (await ethers.provider.getNetwork()).chainId,
        subnet: await subnet.getAddress(),
        round: await subnet.round(),
        validator: validator.address,
      };
    }

    it("commits, keeps the salt across a restart, reveals, and the finalization credits the contributors", async () => {
      const { token, bucket, subnet, address, contributors, validator } = await loadFixture(fixture);
      const [c0, c1, c2] = contributors;
      const store = freshStore();
      const metrics = metricsFor(address, c2.address);

      const committed = await commitScores(subnet, validator, metrics, store);
      expect(committed.round).to.equal(2n);
      expect(committed.rows).to.equal(3);
      expect(committed.saltFile).to.equal(store.fileFor(await keyFor(subnet, validator)));
      const [committedEvent] = await subnet.queryFilter(subnet.filters.Committed(validator.address, 2n));
      expect(committedEvent.args.commitment).to.equal(committed.commitment);
      expect(committedEvent.transactionHash).to.equal(committed.txHash);

      // The salt file: on disk, private, complete, and no temporary file left behind.
      const saved = JSON.parse(await fs.readFile(committed.saltFile, "utf8")) as Record<string, unknown>;
      const expectedSheet = buildSheet(
        [
          { slot: 0, values: [40_000, 30_000, 20_000, 10_000] },
          { slot: 2, values: [1_000, 2_000, 3_000, 4_000] },
        ],
        METRICS,
      );
      expect(saved.sheet).to.equal(expectedSheet);
      expect(saved.round).to.equal("2");
      expect(saved.commitTx).to.equal(committed.txHash);
      expect(saved.commitment).to.equal(
        commitment(address, 2n, validator.address, saved.salt as string, expectedSheet),
      );
      expect((saved.salt as string).length).to.equal(66);
      expect(await fs.readdir(path.dirname(committed.saltFile))).to.deep.equal([
        path.basename(committed.saltFile),
      ]);
      if (process.platform !== "win32")
        expect((await fs.stat(committed.saltFile)).mode & 0o777).to.equal(0o600);

      // A restart: a new store over the same directory finds the salt.
      const restarted = new SaltStore(store.dir);
      const loaded = await restarted.load(await keyFor(subnet, validator));
      expect(loaded?.salt).to.equal(saved.salt);
      expect(loaded?.sheet).to.equal(expectedSheet);

      await toPhase(subnet, "reveal");
      const revealed = await revealScores(subnet, validator, restarted);
      expect(revealed).to.deep.include({ round: 2n, rows: 3 });
      const [event] = await subnet.queryFilter(subnet.filters.Revealed(validator.address, 2n));
      expect(event.args.rows).to.equal(3n);
      expect(event.transactionHash).to.equal(revealed.txHash);
      // What the subnet stored is the sheet committed to: the reveal transaction's calldata.
      const tx = await ethers.provider.getTransaction(revealed.txHash);
      const decoded = subnet.interface.decodeFunctionData("reveal", tx!.data);
      expect(decoded.sheet).to.equal(expectedSheet);

      // Emission arrives, the round closes and is finalized: scores are the folded rows.
      const pool = 1_000n * 10n ** 18n;
      await token.mint(await bucket.getAddress(), pool);
      await toPhase(subnet, "closed");
      while (!(await subnet.finalizeRound.staticCall(32))) await subnet.finalizeRound(32);
      await subnet.finalizeRound(32);
      expect(await subnet.round()).to.equal(3n);

      const s0 = fold([40_000, 30_000, 20_000, 10_000], DEFAULT_METRIC_WEIGHTS);
      const s2 = fold([1_000, 2_000, 3_000, 4_000], DEFAULT_METRIC_WEIGHTS);
      expect(await subnet.consensusScore(0)).to.equal(s0);
      expect(await subnet.consensusScore(1)).to.equal(0n);
      expect(await subnet.consensusScore(2)).to.equal(s2);
      // The keeper tip (keeperTipBps of the round's emission) comes off the pool first.
      const afterTip = pool - (pool * (await subnet.keeperTipBps())) / 10_000n;
      const share = (afterTip * BigInt(DEFAULT_SUBNET_PARAMS.contributorShare)) / 10_000n;
      expect(await subnet.claimable(c0.address)).to.equal((share * s0) / (s0 + s2));
      expect(await subnet.claimable(c2.address)).to.equal((share * s2) / (s0 + s2));
      expect(await subnet.claimable(c1.address)).to.equal(0n);
      expect(await subnet.claimable(validator.address)).to.be.greaterThan(0n);
    });

    it("refuses to act in the wrong phase, without a salt, or twice", async () => {
      const { subnet, address, contributors, validator } = await loadFixture(fixture);
      const store = freshStore();
      const metrics = metricsFor(address, contributors[2].address);

      expect(await failure(() => revealScores(subnet, validator, store))).to.match(
        /^reveal window is not open yet \(round 2: reveal window opens at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in (19h 59m|20h)\)\)$/,
      );
      await commitScores(subnet, validator, metrics, store);

      await toPhase(subnet, "reveal");
      expect(await failure(() => commitScores(subnet, validator, metrics, freshStore()))).to.match(
        /^commit phase is over \(round 2: reveal window opened at .+ UTC .*closes at .+ UTC \(in 4h\)/,
      );
      expect(await failure(() => revealScores(subnet, validator, freshStore()))).to.match(
        /^no saved salt for round 2: commit first \(looked for .+\.json\)$/,
      );
      await revealScores(subnet, validator, store);
      expect(await failure(() => revealScores(subnet, validator, store))).to.equal(
        "already revealed for round 2",
      );

      await toPhase(subnet, "closed");
      expect(await failure(() => commitScores(subnet, validator, metrics, store))).to.match(
        /^commit phase is over \(round 2 closed at .+; the next commit phase starts once the round is finalized\)$/,
      );
      expect(await failure(() => revealScores(subnet, validator, store))).to.match(
        /^reveal window is closed \(round 2: it closed at /,
      );
    });

    it("rejects an outsider, the wrong subnet or round, and unknown addresses before writing a salt", async () => {
      const { subnet, address, contributors, validator, outsider } = await loadFixture(fixture);
      const store = freshStore();
      const metrics = metricsFor(address, contributors[2].address);

      expect(await failure(() => commitScores(subnet, outsider, metrics, store))).to.match(
        /^not a validator of this subnet/,
      );
      expect(await failure(() => commitScores(subnet, validator, { ...metrics, round: 3 }, store))).to.equal(
        "round: the metrics are for round 3, the subnet is in round 2",
      );
      expect(
        await failure(() => commitScores(subnet, validator, { ...metrics, subnet: SUBNET }, store)),
      ).to.match(
        /^subnet: the metrics are for 0x5FbDB2315678afecb367f032d93F642f64180aa3, not for this subnet 0x/,
      );
      const unknown = {
        ...metrics,
        contributors: [...metrics.contributors, { address: outsider.address, values: [1, 1, 1, 1] }],
      };
      expect(await failure(() => commitScores(subnet, validator, unknown, store))).to.equal(
        `contributors[2].address: ${outsider.address} is not a registered contributor of this subnet`,
      );
      const clash = {
        ...metrics,
        contributors: [...metrics.contributors, { slot: 2, values: [1, 1, 1, 1] }],
      };
      expect(await failure(() => commitScores(subnet, validator, clash, store))).to.equal(
        "contributors[2].slot: duplicate slot 2 (also contributors[1])",
      );
      expect(
        await failure(() => commitScores(subnet, validator, { ...metrics, contributors: 1 }, store)),
      ).to.equal("contributors: expected an array, got a number");
      expect(await failure(() => fs.stat(store.dir))).to.match(/ENOENT/); // no salt written
      expect((await subnet.queryFilter(subnet.filters.Committed())).length).to.equal(0);

      // resolveSlots alone: addresses become slots.
      const parsed = parseRoundMetrics(metrics, METRICS);
      expect((await resolveSlots(subnet, parsed)).map((r) => r.slot)).to.deep.equal([0, 2]);
    });

    it("reports a corrupt salt file by name", async () => {
      const { subnet, address, contributors, validator } = await loadFixture(fixture);
      const store = freshStore();
      const { saltFile } = await commitScores(
        subnet,
        validator,
        metricsFor(address, contributors[2].address),
        store,
      );
      const saved = JSON.parse(await fs.readFile(saltFile, "utf8")) as Record<string, unknown>;
      await fs.writeFile(saltFile, JSON.stringify({ ...saved, sheet: "0x0001" }));
      await toPhase(subnet, "reveal");
      expect(await failure(() => revealScores(subnet, validator, store))).to.equal(
        `salt file ${saltFile} is corrupt: salt and sheet do not hash to the saved commitment`,
      );
      await fs.writeFile(saltFile, "{");
      expect(await failure(() => revealScores(subnet, validator, store))).to.equal(
        `salt file ${saltFile} is corrupt: not JSON`,
      );
    });

    it("step does what each phase allows; a restarted step reveals from the saved salt", async () => {
      const { subnet, address, contributors, validator } = await loadFixture(fixture);
      const store = freshStore();
      const metrics = metricsFor(address, contributors[2].address);
      const opts = { clock: hardhatClock };

      expect(await failure(() => step(subnet, validator, store, opts))).to.equal(
        "round 2 is in its commit phase: metrics are needed to commit",
      );
      let loads = 0;
      const loadMetrics = async (round: bigint) => {
        loads++;
        expect(round).to.equal(2n);
        return metrics;
      };
      const first = await step(subnet, validator, store, { ...opts, loadMetrics });
      expect(first.action).to.equal("committed");
      expect(first.message).to.match(
        /^round 2: committed 3 rows .* reveal window opens at .+ \(in (19h 59m|20h)\)$/,
      );
      const again = await step(subnet, validator, store, { ...opts, loadMetrics });
      expect(again).to.deep.include({ action: "waiting", until: (await subnet.roundTimes())[1] });
      expect(loads).to.equal(1);

      await toPhase(subnet, "reveal");
      const revealed = await step(subnet, validator, new SaltStore(store.dir), opts);
      expect(revealed.action).to.equal("revealed");
      expect(revealed.message).to.match(/^round 2: revealed 3 rows \(tx 0x[0-9a-f]{64}\)$/);
      expect((await step(subnet, validator, store, opts)).action).to.equal("waiting");

      await toPhase(subnet, "closed");
      const waiting = await step(subnet, validator, store, opts);
      expect(waiting).to.deep.include({ action: "waiting", until: null });
      const finalized = await step(subnet, validator, store, { ...opts, finalize: true });
      expect(finalized).to.deep.include({ action: "finalized", done: true, round: 2n });
      expect(await subnet.round()).to.equal(3n);

      // Round 3: the commit phase is open again; a validator that lets it pass just waits.
      await toPhase(subnet, "reveal");
      const missed = await step(subnet, validator, store, opts);
      expect(missed).to.deep.include({ action: "waiting", round: 3n });
      expect(missed.message).to.match(/no commitment this round/);
    });

    it("status: the sheet's standing, the last round from events, and a warning before an Inactive expulsion", async () => {
      const { token, bucket, subnet, address, contributors, validator } = await loadFixture(fixture);
      const store = freshStore();
      const opts = { clock: hardhatClock };
      const cutoff = BigInt(DEFAULT_SUBNET_PARAMS.activityCutoff);

      const fresh = await validatorStatus(subnet, validator, opts);
      expect(fresh.standing).to.deep.include({
        lastRevealed: undefined,
        activeUntil: undefined,
        inForce: false,
      });
      expect(fresh.last).to.equal(undefined);
      expect(fresh.lines).to.include("sheet: none revealed yet");

      await runValidator(subnet, validator, metricsFor(address, contributors[2].address), store, opts);
      await token.mint(await bucket.getAddress(), 1_000n * 10n ** 18n);
      await toPhase(subnet, "closed");
      while (!(await subnet.finalizeRound.staticCall(32))) await subnet.finalizeRound(32);
      await subnet.finalizeRound(32);

      const s3 = await validatorStatus(subnet, validator, opts);
      expect(s3.round).to.equal(3n);
      expect(s3.standing).to.deep.include({ lastRevealed: 2n, activeUntil: 1n + cutoff, inForce: true });
      expect(s3.standing.warning).to.equal(undefined);
      const [dividend] = await subnet.queryFilter(subnet.filters.ValidatorDividend(2n, validator.address));
      const [agreement] = await subnet.queryFilter(subnet.filters.RoundAgreement(2n));
      expect(s3.last).to.deep.include({
        round: 2n,
        revealed: true,
        agreement: dividend.args.agreementBps,
        median: agreement.args.medianBps,
        lagged: agreement.args.laggedBps,
        edge: dividend.args.agreementBps - agreement.args.laggedBps,
        reward: dividend.args.reward,
        struck: false,
      });
      expect(dividend.args.reward).to.be.greaterThan(0n);
      expect(s3.lines).to.include(`sheet: revealed in round 2, active until round ${1n + cutoff}`);
      expect(s3.lines.at(-1)).to.match(
        /^last round 2: agreement 100\.0%, median 100\.0%, lagged 0\.0%, edge \+100\.0%, dividend [\d.]+ TTD$/,
      );

      // No more reveals: the sheet stays in force through round 1 + cutoff; round 2 + cutoff expels.
      while ((await subnet.round()) < 2n + cutoff) {
        await toPhase(subnet, "closed");
        while (!(await subnet.finalizeRound.staticCall(32))) await subnet.finalizeRound(32);
        await subnet.finalizeRound(32);
      }
      const last = await validatorStatus(subnet, validator, opts);
      expect(last.standing).to.deep.include({ inForce: false, atRisk: "Inactive", certain: false });
      expect(last.lines).to.include(`WARNING: ${last.standing.warning}`);
      expect(last.standing.warning).to.match(
        new RegExp(`reveal in round ${2n + cutoff}, or its finalization expels`),
      );
      expect(last.last).to.deep.include({ round: 1n + cutoff, revealed: false });
      await toPhase(subnet, "closed");
      expect((await validatorStatus(subnet, validator, opts)).standing.certain).to.equal(true);
      while (!(await subnet.finalizeRound.staticCall(32))) await subnet.finalizeRound(32);
      const tx = await subnet.finalizeRound(32);
      await expect(tx).to.emit(subnet, "ValidatorExpelled").withArgs(validator.address, 0n, 4n);
      expect(await failure(() => validatorStatus(subnet, validator, opts))).to.match(/^not a validator/);
    });

    it("runValidator commits, waits for the reveal window through the clock, and reveals", async () => {
      const { subnet, address, contributors, validator } = await loadFixture(fixture);
      const store = freshStore();
      const seen: StepResult["action"][] = [];
      const { commit, reveal } = await runValidator(
        subnet,
        validator,
        metricsFor(address, contributors[2].address),
        store,
        { clock: hardhatClock, onStep: (r) => seen.push(r.action) },
      );
      expect(seen).to.deep.equal(["committed", "waiting", "revealed"]);
      expect(commit?.round).to.equal(2n);
      expect(reveal).to.deep.include({ round: 2n, rows: 3 });

      // Started in a closed round, it finalizes (when asked to) and serves the next round.
      await toPhase(subnet, "closed");
      const next = await runValidator(
        subnet,
        validator,
        { ...metricsFor(address, contributors[2].address), round: 3 },
        store,
        { clock: hardhatClock, finalize: true },
      );
      expect(next.reveal.round).to.equal(3n);
    });

    it("runValidator gives up after maxSteps", async () => {
      const { subnet, address, contributors, validator } = await loadFixture(fixture);
      await toPhase(subnet, "closed");
      const stuck: Clock = { now: hardhatClock.now, waitUntil: async () => {} };
      expect(
        await failure(() =>
          runValidator(subnet, validator, metricsFor(address, contributors[2].address), freshStore(), {
            clock: stuck,
            maxSteps: 3,
          }),
        ),
      ).to.equal("runValidator: no commit and reveal after 3 steps");
    });
  });
});
