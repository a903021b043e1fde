// Removes the fixture synth the global setup made (FIXTURE_SYNTH), once every worker is done.
const { rmSync } = require("node:fs");

module.exports = async function globalTeardown() {
  if (process.env.FIXTURE_SYNTH) rmSync(process.env.FIXTURE_SYNTH, { recursive: true, force: true });
};
