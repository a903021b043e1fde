// The day every test judges config on, in one place for the TypeScript helpers and for the
// global setup's synth of the fixture: fixed, so the suite passes on any date.
module.exports = { TEST_NOW_ISO: "2026-12-01T00:00:00Z" };
