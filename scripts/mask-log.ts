import { createInterface } from "node:readline";
import { lineMasker } from "../policy/secrets";

const USAGE = `Usage: terraform plan … 2>&1 | node dist/scripts/mask-log.js

Copies standard input to standard output line by line, with every secret masked (policy/secrets.ts):
credentials in URLs, tokens and keys of known shapes, private key blocks, and values assigned to
names like a secret (password = "…", the value of an env entry named DB_PASSWORD). Each line is
written as soon as it is read, so a long terraform run shows its progress. No options.`;

// Not runCli: this reads a stream, and must keep writing what it masked until the input ends.
const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(USAGE);
} else if (args.length) {
  console.error(`error: mask-log takes no arguments; got ${args.join(" ")}\n\n${USAGE}`);
  process.exitCode = 2;
} else {
  const mask = lineMasker();
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on("line", (line) => {
    // A slow reader (a pipe to the runner's log) pauses the input rather than filling memory.
    if (!process.stdout.write(`${mask(line)}\n`)) {
      lines.pause();
      process.stdout.once("drain", () => lines.resume());
    }
  });
}
