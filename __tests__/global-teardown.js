// Removes the synthesized projects the global setup made (FIXTURE_SYNTH, and EXAMPLES_SYNTH, which holds EXAMPLE_SYNTH), once every worker is done.
const { rmSync } = require("node:fs");

module.exports = async function globalTeardown() {
  for (const dir of [process.env.FIXTURE_SYNTH, process.env.EXAMPLES_SYNTH]) if (dir) rmSync(dir, { recursive: true, force: true });
};
