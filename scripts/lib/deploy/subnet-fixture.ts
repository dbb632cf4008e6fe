/**
 * A standalone subnet for benchmarks and tests: the subnet, its contribution bucket and a mintable
 * stand-in for TTD, with the deployer as the AccessManager's admin.
 */
import { Signer } from "ethers";
import {
  ContributionBucket,
  ContributionBucket__factory,
  MockStakeToken,
  MockStakeToken__factory,
  Subnet,
  Subnet__factory,
  TetradAccessManager,
  TetradAccessManager__factory,
  Treasury,
  Treasury__factory,
} from "../../../typechain-types";
import { DEFAULT_METRIC_WEIGHTS, DEFAULT_SUBNET_PARAMS, SubnetParams } from "../chain/poc";

export interface StandaloneSubnet {
  manager: TetradAccessManager;
  token: MockStakeToken;
  bucket: ContributionBucket;
  fund: Treasury;
  subnet: Subnet;
}

export async function deployStandaloneSubnet(
  deployer: Signer,
  params: SubnetParams = DEFAULT_SUBNET_PARAMS,
  weights: number[] = DEFAULT_METRIC_WEIGHTS,
  owner?: string,
): Promise<StandaloneSubnet> {
  const from = await deployer.getAddress();
  const manager = await new TetradAccessManager__factory(deployer).deploy(from);
  const token = await new MockStakeToken__factory(deployer).deploy("Tetrad (test)", "TTD");
  const bucket = await new ContributionBucket__factory(deployer).deploy(manager, token);
  const fund = await new Treasury__factory(deployer).deploy(manager);
  const subnet = await new Subnet__factory(deployer).deploy(
    manager,
    token,
    bucket,
    fund,
    owner ?? from,
    "ipfs://tetrad/test-subnet",
    params,
    weights,
  );
  await (await bucket.setFloors([await subnet.getAddress()], [10_000])).wait();
  return { manager, token, bucket, fund, subnet };
}
