/**
 * Which invariant handler functions reach each state-changing external function of the protocol
 * (scripts/checks/invariant-calls.ts checks that every one is listed here and that its handlers ran).
 * Keys are `Contract.signature` as in the contract's ABI (inherited OpenZeppelin functions included);
 * values are `Handler.function` as in forge's call tables. A function reached through another contract
 * (e.g. `Tetrad.mint`, called by the controller) names the handlers that make that contract call it.
 */

/** The contracts whose ABIs are checked, with the forge artifact each is read from. */
export const PROTOCOL_CONTRACTS = [
  "Tetrad",
  "EmissionController",
  "CapitalPool",
  "ContributionBucket",
  "Subnet",
  "SubnetFactory",
  "Treasury",
  "TetradAccessManager",
  "TetradGovernor",
  "TetradTimelock",
] as const;

/**
 * AccessManager functions the protocol never uses (no delayed operations, role admins or role guardians,
 * closed targets or multicalls): the invariant suites need not reach them; test/governance/Attacks.test.ts
 * checks that nobody but the admin can call them.
 */
export const NOT_USED_BY_THE_PROTOCOL = [
  "TetradAccessManager.cancel(address,address,bytes)",
  "TetradAccessManager.consumeScheduledOp(address,bytes)",
  "TetradAccessManager.execute(address,bytes)",
  "TetradAccessManager.multicall(bytes[])",
  "TetradAccessManager.schedule(address,bytes,uint48)",
  "TetradAccessManager.setGrantDelay(uint64,uint32)",
  "TetradAccessManager.setRoleAdmin(uint64,uint64)",
  "TetradAccessManager.setRoleGuardian(uint64,uint64)",
  "TetradAccessManager.setTargetAdminDelay(address,uint32)",
  "TetradAccessManager.setTargetClosed(address,bool)",
] as const;

const GOV = "GovernanceHandler";
const MKT = "MarketHandler";
/** A passed proposal runs through the Governor's execute (in a lifecycle or on its own). */
const PROPOSAL = [`${GOV}.lifecycle`, `${GOV}.execute`];

export const REACH: Record<string, readonly string[]> = {
  // Tetrad
  "Tetrad.approve(address,uint256)": [`${GOV}.approve`, `${MKT}.launch`, `${MKT}.payFee`],
  // Subnets burn registration fees and the burn share of service fees; the factory burns launch costs.
  "Tetrad.burn(uint256)": [`${GOV}.burn`, `${MKT}.register`, `${MKT}.playRound`, `${MKT}.payFee`],
  "Tetrad.burnFrom(address,uint256)": [`${GOV}.burnFrom`, `${MKT}.launch`],
  "Tetrad.delegate(address)": [`${GOV}.delegate`],
  "Tetrad.delegateBySig(address,uint256,uint256,uint8,bytes32,bytes32)": [`${GOV}.delegateBySig`],
  "Tetrad.mint(address,uint256)": [
    "EmissionHandler.distribute",
    "PoolHandler.distribute",
    `${MKT}.mintToHolder`,
    `${MKT}.emitToBucket`,
  ],
  "Tetrad.permit(address,address,uint256,uint256,uint8,bytes32,bytes32)": [`${GOV}.permit`, `${MKT}.payFee`],
  "Tetrad.transfer(address,uint256)": [`${GOV}.transfer`, "PoolHandler.donate", `${MKT}.transfer`],
  "Tetrad.transferFrom(address,address,uint256)": [`${GOV}.transferFrom`],

  // EmissionController
  "EmissionController.distribute()": ["EmissionHandler.distribute", "PoolHandler.distribute"],
  "EmissionController.pause()": ["EmissionHandler.pause", `${GOV}.guardianPauses`],
  "EmissionController.unpause()": ["EmissionHandler.unpause", ...PROPOSAL],
  "EmissionController.setAuthority(address)": ["EmissionHandler.migrateAuthority"],
  "EmissionController.setMaxShareStep(uint256)": ["EmissionHandler.setMaxShareStep"],
  "EmissionController.setRecipient(uint8,address,bool)": ["EmissionHandler.setRecipient"],
  "EmissionController.setShares(uint16[5])": [
    "EmissionHandler.setShares",
    ...PROPOSAL,
    `${GOV}.executeRelayed`,
  ],

  // CapitalPool
  "CapitalPool.claim()": ["PoolHandler.claim"],
  "CapitalPool.claimTo(address)": ["PoolHandler.claimTo"],
  "CapitalPool.deposit(uint256)": ["PoolHandler.deposit"],
  "CapitalPool.depositWithPermit(uint256,uint256,uint8,bytes32,bytes32)": ["PoolHandler.depositWithPermit"],
  "CapitalPool.exit()": ["PoolHandler.exit"],
  "CapitalPool.notifyRewards()": ["PoolHandler.notifyRewards"],
  "CapitalPool.onEmission(uint256,uint256)": ["PoolHandler.distribute", "EmissionHandler.distribute"],
  "CapitalPool.pause()": ["PoolHandler.pause"],
  "CapitalPool.recoverERC20(address,address,uint256)": ["PoolHandler.recoverERC20"],
  "CapitalPool.setAuthority(address)": ["PoolHandler.migrateAuthority"],
  "CapitalPool.setMinDeposit(uint256)": ["PoolHandler.setMinDeposit"],
  "CapitalPool.setRewardsDuration(uint256)": ["PoolHandler.setRewardsDuration"],
  "CapitalPool.setWithdrawLock(uint256)": ["PoolHandler.setWithdrawLock"],
  "CapitalPool.skim(address)": ["PoolHandler.skim"],
  "CapitalPool.unpause()": ["PoolHandler.unpause"],
  "CapitalPool.withdraw(uint256)": ["PoolHandler.withdraw", "PoolHandler.exit"],

  // ContributionBucket
  "ContributionBucket.addSubnet(address)": [`${MKT}.launch`],
  "ContributionBucket.allocate()": ["SubnetHandler.fundEmission", `${MKT}.emitToBucket`],
  "ContributionBucket.kill(address)": [`${MKT}.kill`],
  "ContributionBucket.onEmission(uint256,uint256)": [
    "SubnetHandler.fundEmission",
    "EmissionHandler.distribute",
    `${MKT}.emitToBucket`,
  ],
  "ContributionBucket.poke(address)": [`${MKT}.poke`],
  "ContributionBucket.pull()": [
    "SubnetHandler.finalize",
    "SubnetHandler.playRound",
    "SubnetHandler.playRounds",
    "SubnetHandler.otherSubnetPulls",
    `${MKT}.finalize`,
    `${MKT}.playRound`,
    `${MKT}.pull`,
  ],
  "ContributionBucket.setAuthority(address)": ["SubnetHandler.migrateAuthority"],
  "ContributionBucket.setFloors(address[],uint16[])": ["SubnetHandler.setBucketWeights", `${MKT}.setFloors`],
  "ContributionBucket.setGaugeParams((uint8,uint8,uint32,uint32,uint16,uint16))": [`${MKT}.setGaugeParams`],
  "ContributionBucket.vote(uint256[],uint256[])": [`${MKT}.vote`],

  // Subnet
  "Subnet.claim()": ["SubnetHandler.claim", `${MKT}.claim`],
  "Subnet.claimFor(address)": ["SubnetHandler.claimFor"],
  "Subnet.commit(bytes32)": [
    "SubnetHandler.commitAll",
    "SubnetHandler.playRound",
    "SubnetHandler.playRounds",
    `${MKT}.playRound`,
  ],
  "Subnet.deregister()": ["SubnetHandler.deregister", `${MKT}.deregister`],
  "Subnet.finalizeRound(uint256)": [
    "SubnetHandler.finalize",
    "SubnetHandler.playRound",
    "SubnetHandler.playRounds",
    `${MKT}.finalize`,
    `${MKT}.playRound`,
  ],
  // A clone is initialized by the factory's launch, and retired by a kill or by a launch into a full
  // bucket.
  "Subnet.initialize(address,address,string,(uint32,uint32,uint32,uint32,uint16,uint16,uint16,uint16,uint8,uint8,uint16,uint16,uint16,uint96,uint96),uint16[])":
    [`${MKT}.launch`],
  "Subnet.pause()": ["SubnetHandler.pause"],
  "Subnet.payFee(uint256,bytes32)": [`${MKT}.payFee`],
  "Subnet.payFeeWithPermit(uint256,bytes32,uint256,uint8,bytes32,bytes32)": [`${MKT}.payFee`],
  "Subnet.register(string)": ["SubnetHandler.register", `${MKT}.register`, `${MKT}.playRound`],
  "Subnet.retire()": [`${MKT}.kill`, `${MKT}.launch`],
  "Subnet.reveal(bytes,bytes32)": [
    "SubnetHandler.revealAll",
    "SubnetHandler.playRound",
    "SubnetHandler.playRounds",
    `${MKT}.playRound`,
  ],
  "Subnet.setAuthority(address)": ["SubnetHandler.migrateAuthority"],
  "Subnet.setMetadataURI(string)": ["SubnetHandler.setMetadataURI"],
  "Subnet.setKeeperTip(uint256)": ["SubnetHandler.setKeeperTip"],
  "Subnet.setMetricWeights(uint16[])": ["SubnetHandler.setMetricWeights"],
  "Subnet.setParams((uint32,uint32,uint32,uint32,uint16,uint16,uint16,uint16,uint8,uint8,uint16,uint16,uint16,uint96,uint96))":
    ["SubnetHandler.setParams"],
  "Subnet.setRegistrationPricing((uint96,uint96,uint32,uint16,uint32))": [
    "SubnetHandler.setRegistrationPricing",
  ],
  "Subnet.slash(address,uint256)": ["SubnetHandler.slash"],
  "Subnet.stake(uint256)": ["SubnetHandler.stake", `${MKT}.stake`, `${MKT}.playRound`],
  "Subnet.transferOwnership(address)": ["SubnetHandler.transferOwnership"],
  "Subnet.unpause()": ["SubnetHandler.unpause"],
  "Subnet.unstake(uint256)": ["SubnetHandler.unstake", `${MKT}.unstake`],
  "Subnet.withdrawUnbonded()": ["SubnetHandler.withdrawUnbonded", `${MKT}.withdrawUnbonded`],

  // SubnetFactory
  "SubnetFactory.launch(uint256,string,string,(uint32,uint32,uint32,uint32,uint16,uint16,uint16,uint16,uint8,uint8,uint16,uint16,uint16,uint96,uint96),uint16[],uint256)":
    [`${MKT}.launch`],
  "SubnetFactory.setAuthority(address)": [`${MKT}.migrateFactory`],
  "SubnetFactory.setLaunchBounds((uint16,uint96,uint96,uint96))": [`${MKT}.setLaunchSettings`],
  "SubnetFactory.setLaunchPricing((uint96,uint96,uint32))": [`${MKT}.setLaunchSettings`],

  // Treasury (the protection fund)
  "Treasury.release(address,address,uint256)": ["SubnetHandler.release", "TreasuryHandler.release"],
  "Treasury.setMaxReleaseBps(uint256)": ["TreasuryHandler.setMaxReleaseBps"],
  "Treasury.setAuthority(address)": ["SubnetHandler.migrateAuthority"],

  // TetradAccessManager: the functions the deployment and governance use
  "TetradAccessManager.grantRole(uint64,address,uint32)": PROPOSAL,
  "TetradAccessManager.labelRole(uint64,string)": PROPOSAL,
  "TetradAccessManager.renounceRole(uint64,address)": [`${GOV}.guardianRenounces`, ...PROPOSAL],
  "TetradAccessManager.revokeRole(uint64,address)": PROPOSAL,
  "TetradAccessManager.setTargetFunctionRole(address,bytes4[],uint64)": PROPOSAL,
  "TetradAccessManager.updateAuthority(address,address)": [
    "EmissionHandler.migrateAuthority",
    "PoolHandler.migrateAuthority",
    "SubnetHandler.migrateAuthority",
    `${MKT}.migrateFactory`,
  ],

  // TetradGovernor
  "TetradGovernor.cancel(uint256)": [`${GOV}.guardianCancels`, `${GOV}.lifecycle`],
  "TetradGovernor.cancel(address[],uint256[],bytes[],bytes32)": [`${GOV}.proposerCancels`],
  "TetradGovernor.castVote(uint256,uint8)": [`${GOV}.vote`, `${GOV}.lifecycle`],
  "TetradGovernor.castVoteBySig(uint256,uint8,address,bytes)": [`${GOV}.vote`, `${GOV}.lifecycle`],
  "TetradGovernor.castVoteWithReason(uint256,uint8,string)": [`${GOV}.vote`, `${GOV}.lifecycle`],
  "TetradGovernor.castVoteWithReasonAndParams(uint256,uint8,string,bytes)": [
    `${GOV}.vote`,
    `${GOV}.lifecycle`,
  ],
  "TetradGovernor.castVoteWithReasonAndParamsBySig(uint256,uint8,address,string,bytes,bytes)": [
    `${GOV}.vote`,
    `${GOV}.lifecycle`,
  ],
  "TetradGovernor.execute(address[],uint256[],bytes[],bytes32)": [`${GOV}.execute`],
  "TetradGovernor.execute(uint256)": [`${GOV}.execute`, `${GOV}.lifecycle`],
  "TetradGovernor.onERC1155BatchReceived(address,address,uint256[],uint256[],bytes)": [`${GOV}.sendNft`],
  "TetradGovernor.onERC1155Received(address,address,uint256,uint256,bytes)": [`${GOV}.sendNft`],
  "TetradGovernor.onERC721Received(address,address,uint256,bytes)": [`${GOV}.sendNft`],
  "TetradGovernor.propose(address[],uint256[],bytes[],string)": [`${GOV}.propose`, `${GOV}.lifecycle`],
  "TetradGovernor.queue(address[],uint256[],bytes[],bytes32)": [`${GOV}.queue`],
  "TetradGovernor.queue(uint256)": [`${GOV}.queue`, `${GOV}.lifecycle`],
  "TetradGovernor.relay(address,uint256,bytes)": PROPOSAL,
  "TetradGovernor.setLateQuorumVoteExtension(uint48)": PROPOSAL,
  "TetradGovernor.setProposalGuardian(address)": PROPOSAL,
  "TetradGovernor.setProposalThreshold(uint256)": PROPOSAL,
  "TetradGovernor.setProposalThresholdBps(uint256)": PROPOSAL,
  "TetradGovernor.setQuorumFloor(uint256)": PROPOSAL,
  "TetradGovernor.setVoteLookback(uint256)": PROPOSAL,
  "TetradGovernor.setVotingDelay(uint48)": PROPOSAL,
  "TetradGovernor.setVotingPeriod(uint32)": PROPOSAL,
  "TetradGovernor.updateQuorumNumerator(uint256)": PROPOSAL,
  "TetradGovernor.updateTimelock(address)": PROPOSAL,
  "TetradGovernor.receive()": [`${GOV}.sendEth`],

  // TetradTimelock
  "TetradTimelock.cancel(bytes32)": [`${GOV}.guardianCancelsOperation`, `${GOV}.guardianCancels`],
  "TetradTimelock.execute(address,uint256,bytes,bytes32,bytes32)": [`${GOV}.executeRelayed`],
  "TetradTimelock.executeBatch(address[],uint256[],bytes[],bytes32,bytes32)": PROPOSAL,
  "TetradTimelock.grantRole(bytes32,address)": PROPOSAL,
  "TetradTimelock.onERC1155BatchReceived(address,address,uint256[],uint256[],bytes)": [`${GOV}.sendNft`],
  "TetradTimelock.onERC1155Received(address,address,uint256,uint256,bytes)": [`${GOV}.sendNft`],
  "TetradTimelock.onERC721Received(address,address,uint256,bytes)": [`${GOV}.sendNft`],
  "TetradTimelock.renounceRole(bytes32,address)": [`${GOV}.guardianRenounces`],
  "TetradTimelock.revokeRole(bytes32,address)": PROPOSAL,
  "TetradTimelock.schedule(address,uint256,bytes,bytes32,bytes32,uint256)": PROPOSAL,
  "TetradTimelock.scheduleBatch(address[],uint256[],bytes[],bytes32,bytes32,uint256)": [
    `${GOV}.queue`,
    `${GOV}.lifecycle`,
  ],
  "TetradTimelock.updateDelay(uint256)": PROPOSAL,
  "TetradTimelock.receive()": [`${GOV}.sendEth`],
};
