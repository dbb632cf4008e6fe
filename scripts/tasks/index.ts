/**
 * Hardhat tasks for every user action, against the deployment in `deployments/<chainId>.json` of the
 * selected network (TETRAD_DEPLOYMENTS_DIR moves the folder), signed by the network's first account
 * (`--from <index>` picks another):
 *
 *     npx hardhat --network localhost distribute
 *     npx hardhat --network localhost capital:deposit --amount 12.5 [--faucet]
 *     npx hardhat --network localhost capital:withdraw --amount 2 | all
 *     npx hardhat --network localhost capital:claim [--to 0x…]
 *     npx hardhat --network localhost contributor:register --subnet code [--metadata ipfs://…]
 *     npx hardhat --network localhost contributor:claim --subnet code
 *     npx hardhat --network localhost contributor:deregister --subnet code
 *     npx hardhat --network localhost validator:stake --subnet code --amount 150
 *     npx hardhat --network localhost validator:unstake --subnet code --amount 50 | all
 *     npx hardhat --network localhost validator:withdraw --subnet code
 *     npx hardhat --network localhost validator:claim --subnet code
 *     npx hardhat --network localhost validator:run --subnet code --metrics metrics.json [--action step --finalize]
 *     npx hardhat --network localhost subnet:finalize --subnet code [--page 32]
 *     npx hardhat --network localhost subnet:launch --bucket code --name alpha [--uri ipfs://…] [--params '{"bond":"20"}'] [--max-cost 2000]
 *     npx hardhat --network localhost subnet:pay --subnet alpha --amount 25 [--ref order-42] [--no-permit]
 *     npx hardhat --network localhost gauge:vote --bucket code --votes 4:5000,alpha:25% | none
 *     npx hardhat --network localhost gauge:poke [--voter 0x…] [--bucket code]
 *     npx hardhat --network localhost gov:delegate [--to 0x…]
 *     npx hardhat --network localhost gov:propose --shares 2400,2400,2400,2400,400 --description "…"
 *     npx hardhat --network localhost gov:vote --proposal latest --support for [--reason "…"]
 *     npx hardhat --network localhost gov:queue --proposal latest
 *     npx hardhat --network localhost gov:execute --proposal latest
 *     npx hardhat --network localhost status
 *
 * Loaded by hardhat.config.ts before TypeChain's output exists on a fresh clone: these modules import
 * only types from it; every implementation (scripts/tasks/impl/) is imported when its task runs.
 * Failures print one line (`Error in plugin tetrad: …`), reverts decoded by scripts/lib/chain/errors.ts.
 */
import "./emission";
import "./capital";
import "./contributor";
import "./validator";
import "./subnet";
import "./market";
import "./governance";
import "./status";
