import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { checkovFailures, gate, gateReport, readAccepted } from "../review/checkov-gate";
import { runCli } from "./review-cli";

const USAGE = `Usage: npm run -s checkov-gate -- <checkov.json>... [--accepted checkov-accepted.yaml]

Judges Checkov's JSON results (\`checkov -o json\`, of the synthesized JSON and of the plans): exit 1
when a failed check is not on the accepted list, or an entry of the list no longer fails; exit 2
when the list or a result cannot be read. Checkov's own exit status is not the verdict.`;

runCli(USAGE, () => {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { accepted: { type: "string", default: "checkov-accepted.yaml" } } });
  if (positionals.length === 0) throw new Error("no Checkov results given; pass the files `checkov -o json` wrote");
  const listFile = values.accepted as string;
  const accepted = readAccepted(readFileSync(listFile, "utf8"), listFile);
  const failures = positionals.flatMap((file) => {
    try {
      return checkovFailures(JSON.parse(readFileSync(file, "utf8")));
    } catch (error) {
      throw new Error(`${file}: cannot be read as Checkov's JSON output (${(error as Error).message})`);
    }
  });
  const result = gate(failures, accepted);
  const report = gateReport(result, listFile);
  const failed = result.unaccepted.length > 0 || result.stale.length > 0;
  (failed ? console.error : console.log)(report);
  return failed ? 1 : 0;
});
