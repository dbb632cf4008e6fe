/** Anyone may finalize a subnet's closed round (in pages; press again until the next round starts). */
import { encodeFunctionData, type Address } from "viem";
import { subnetAbi } from "../generated/abis";
import { useAction, useApp } from "../lib/app";
import { TxButton, TxStatus } from "./ui";

export function FinalizeButton({ subnet, round, name }: { subnet: Address; round: bigint; name: string }) {
  const { ready } = useApp();
  const finalize = useAction(`finalize-${subnet}`);
  if (!ready) return <span className="hint"> (anyone can finalize it)</span>;
  return (
    <>
      {" "}
      <TxButton
        action={finalize}
        label={`Finalize round ${round}`}
        secondary
        ariaLabel={`Finalize round ${round} of the ${name}`}
        to={subnet}
        data={encodeFunctionData({ abi: subnetAbi, functionName: "finalizeRound", args: [64n] })}
      >
        Finalize
      </TxButton>
      <TxStatus action={finalize} testId={`finalize-status-${name.split(" ")[0]?.toLowerCase()}`} />
    </>
  );
}
