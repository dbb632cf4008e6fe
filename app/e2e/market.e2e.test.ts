/**
 * The subnet market through the app, end to end (headless Chromium against `hardhat node`, the signing
 * test wallet of ./wallet.ts): a holder launches a subnet (the cost shown, approve then launch), splits
 * its gauge vote between two subnets (its power for the period and when the vote applies shown), sees the
 * vote in force the next period, and pays the new subnet's fee with one permit signature; Overview shows
 * the net issuance. Setup outside the UI: TTD earned in the capital pool and a self-delegation (signed
 * here with the wallet's key), and the clock.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEther, type Address } from "viem";
import {
  capitalPoolAbi,
  contributionBucketAbi,
  emissionControllerAbi,
  stakeTokenAbi,
  subnetAbi,
  subnetFactoryAbi,
  tetradAbi,
} from "../src/generated/abis";
import { formatAmount } from "../src/lib/format";
import { DAY, startHarness, type Harness } from "./harness";

const ttd = (wei: bigint) => formatAmount(wei, "TTD", 18, 2);

describe("the subnet market end to end", () => {
  let h: Harness<"olivia">;
  let c: Record<string, Address>;

  beforeAll(async () => {
    h = await startHarness({ id: "app-e2e-market", names: ["olivia"], axeFile: "axe-market.json" });
    c = h.contracts;
    // Olivia earns TTD in the capital pool (alone there for a day of emission: ~3,456 TTD) and
    // delegates to herself, all signed here with her key; then the gauge's period 2 starts, whose
    // snapshot (and the day of lookback before it) follow the delegation.
    const olivia = h.wallets.olivia;
    const w = h.walletClient(olivia);
    const pc = h.publicClient();
    const send = async (p: Promise<`0x${string}`>) => pc.waitForTransactionReceipt({ hash: await p });
    const me = { account: w.account!, chain: w.chain };
    await send(
      w.writeContract({
        ...me,
        address: c.StakingToken!,
        abi: stakeTokenAbi,
        functionName: "mint",
        args: [olivia.address, parseEther("100")],
      }),
    );
    await send(
      w.writeContract({
        ...me,
        address: c.StakingToken!,
        abi: stakeTokenAbi,
        functionName: "approve",
        args: [c.CapitalPool!, parseEther("100")],
      }),
    );
    await send(
      w.writeContract({
        ...me,
        address: c.CapitalPool!,
        abi: capitalPoolAbi,
        functionName: "deposit",
        args: [parseEther("100")],
      }),
    );
    await h.warp(DAY);
    await send(
      w.writeContract({
        ...me,
        address: c.EmissionController!,
        abi: emissionControllerAbi,
        functionName: "distribute",
      }),
    );
    await h.warp(8 * DAY);
    await send(
      w.writeContract({ ...me, address: c.CapitalPool!, abi: capitalPoolAbi, functionName: "claim" }),
    );
    await send(
      w.writeContract({
        ...me,
        address: c.Tetrad!,
        abi: tetradAbi,
        functionName: "delegate",
        args: [olivia.address],
      }),
    );
    const genesis = await pc.readContract({
      address: c.CodeBucket!,
      abi: contributionBucketAbi,
      functionName: "genesis",
    });
    const block = await pc.getBlock();
    await h.warp(Number(genesis + 14n * BigInt(DAY) - block.timestamp) + 3_600);
  });

  afterAll(async () => {
    await h?.close();
  });

  it("launches a subnet (cost shown, approve then launch), splits a gauge vote, pays a fee with a permit; Overview shows net issuance", async () => {
    const olivia = h.wallets.olivia;
    const pc = h.publicClient();
    const read = pc.readContract.bind(pc) as typeof pc.readContract;
    const bucket = { address: c.CodeBucket!, abi: contributionBucketAbi } as const;
    expect(await read({ ...bucket, functionName: "currentPeriod" })).toBe(2n);
    const page = await h.openAs(olivia, "#/subnets");
    await page.getByRole("heading", { level: 1, name: "Subnets" }).waitFor();
    await h.connect(page, olivia);

    // Launch: the cost is shown; the factory is approved for exactly it, then the launch burns it.
    const cost = await read({ address: c.SubnetFactory!, abi: subnetFactoryAbi, functionName: "launchCost" });
    expect(cost).toBe(parseEther("1000"));
    await expect.poll(() => page.getByTestId("launch-cost").textContent()).toBe("1,000 TTD");
    const before = await read({
      address: c.Tetrad!,
      abi: tetradAbi,
      functionName: "balanceOf",
      args: [olivia.address],
    });
    await page.getByLabel("Subnet name").fill("alpha");
    await page.getByLabel("Metadata URI").fill("https://example.org/alpha");
    await page.getByRole("button", { name: "Approve and launch" }).click();
    await h.waitStatus(page, "launch-status", "Launch: Confirmed");
    await expect
      .poll(() => page.getByTestId("launch-result").textContent())
      .toMatch(/^alpha launched in the code bucket: gauge id 2, subnet 0x[0-9a-fA-F]{40}; 1,000 TTD burned$/);
    expect(
      await read({ address: c.Tetrad!, abi: tetradAbi, functionName: "balanceOf", args: [olivia.address] }),
    ).toBe(before - cost);
    expect(
      await read({
        address: c.Tetrad!,
        abi: tetradAbi,
        functionName: "allowance",
        args: [olivia.address, c.SubnetFactory!],
      }),
    ).toBe(0n);
    const listings = await read({ ...bucket, functionName: "listings" });
    const alpha = listings.find((l) => l.id === 2)!.subnet;
    expect(await read({ address: alpha, abi: subnetAbi, functionName: "owner" })).toBe(olivia.address);
    await expect.poll(() => page.getByTestId("subnet-code-2").textContent()).toContain("alpha");
    await expect.poll(() => page.getByTestId("launch-cost").textContent()).toBe("2,000 TTD");

    // Vote: the power of this period (read before the launch burned 1,000 TTD) and when the vote applies.
    const power = await read({ ...bucket, functionName: "votingPower", args: [olivia.address] });
    expect(power).toBeGreaterThan(parseEther("3000"));
    await expect.poll(() => page.getByTestId("gauge-power").textContent()).toBe(ttd(power));
    expect(await page.getByTestId("gauge-ballot").textContent()).toBe("no votes");
    await page.getByLabel("alpha (%)", { exact: true }).fill("60");
    await page.getByLabel("Code subnet (%)", { exact: true }).fill("40");
    expect(await page.getByTestId("vote-total").textContent()).toBe("100%");
    expect(await page.getByTestId("vote-applies").textContent()).toMatch(
      /^applies from period 3, starting \d{4}-\d\d-\d\d /,
    );
    await h.shot(page, "subnets-vote");
    await page.getByRole("button", { name: "Vote", exact: true }).click();
    await h.waitStatus(page, "vote-status", "Vote: Confirmed");
    const [ballotPower, , ids, bps] = await read({
      ...bucket,
      functionName: "ballotOf",
      args: [olivia.address],
    });
    expect([ballotPower, ids, bps]).toEqual([power, [1n, 2n], [4000n, 6000n]]);
    await expect
      .poll(() => page.getByTestId("gauge-ballot").textContent())
      .toBe(`Code subnet (#1) 40%, alpha (#2) 60% with ${ttd(power)} (read in period 2)`);
    // Not in force in the period it was cast in; in force in the next.
    expect(await page.getByTestId("subnet-votes-code-2").textContent()).toBe("0 TTD");
    await h.warp(7 * DAY);
    const inForce = (power * 6000n) / 10_000n;
    await expect
      .poll(() => page.getByTestId("subnet-votes-code-2").textContent(), { timeout: 20_000 })
      .toBe(ttd(inForce));
    const [subnets, shares] = await read({ ...bucket, functionName: "weights" });
    const at = subnets.findIndex((a) => a.toLowerCase() === alpha.toLowerCase());
    expect(await page.getByTestId("subnet-share-code-2").textContent()).toBe(`${Number(shares[at]!) / 100}%`);

    // Pay alpha's fee: one permit signature, one transaction; half burned.
    await page.getByLabel("Subnet", { exact: true }).selectOption({ label: "alpha (code bucket, #2)" });
    await page.getByLabel("Reference (what you pay for)").fill("order-42");
    await page.getByLabel(/Amount to pay/).fill("100");
    await page.getByRole("button", { name: "Sign permit and pay" }).click();
    await h.waitStatus(page, "pay-status", "Pay: Confirmed");
    expect(olivia.log).toContain("eth_signTypedData_v4");
    expect(await read({ address: alpha, abi: subnetAbi, functionName: "fees" })).toEqual([
      parseEther("100"),
      parseEther("50"),
    ]);
    expect(
      await read({
        address: c.Tetrad!,
        abi: tetradAbi,
        functionName: "allowance",
        args: [olivia.address, alpha],
      }),
    ).toBe(0n);
    await expect.poll(() => page.getByTestId("subnet-fees-code-2").textContent()).toBe("100 TTD");
    await h.shot(page, "subnets");
    await h.axe(page, "subnets");

    // Overview: net issuance is minted less burned (the launch cost; the fee's burn share waits for the
    // subnet's next finalization): the supply.
    await h.go(page, "#/", "Overview");
    const supply = await read({ address: c.Tetrad!, abi: tetradAbi, functionName: "totalSupply" });
    await expect.poll(() => page.getByTestId("burned").textContent()).toBe("1,000 TTD");
    expect(await page.getByTestId("net-issuance").textContent()).toBe(ttd(supply));

    // A phone-sized screen: the Subnets page fits its width and passes axe.
    const phone = await h.openAs(olivia, "#/subnets", { width: 390, height: 844 });
    await phone.getByRole("heading", { level: 1, name: "Subnets" }).waitFor();
    await expect.poll(() => phone.getByTestId("launch-cost").textContent()).toContain("TTD");
    await h.axe(phone, "subnets-phone");
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, "Subnets is wider than a phone").toBeLessThanOrEqual(0);
  });
});
