// Keeps package-lock.json complete for every platform.
//
// Native packages (@swc/core, jest's unrs-resolver) list one optional dependency per platform.
// When the registry in use serves only some platforms' builds, `npm install` leaves the others out
// of the lockfile, and `npm ci` then rejects the lockfile as out of sync. This adds the missing
// ones as optional, platform-tagged entries: npm skips them on other platforms and fetches them
// by version where they apply (e.g. a developer's Mac). Runs after every install; a no-op when
// the lockfile is complete.
import { readFileSync, writeFileSync } from "node:fs";

const FILE = new URL("../package-lock.json", import.meta.url);
const OS = ["darwin", "linux", "win32", "android", "freebsd", "openharmony", "sunos", "netbsd", "openbsd", "aix"];
const CPU = ["arm64", "x64", "arm", "ia32", "ppc64", "s390x", "riscv64", "loong64", "wasm32"];

const lock = JSON.parse(readFileSync(FILE, "utf8"));
let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const path = `node_modules/${name}`;
    if (lock.packages[path] || lock.packages[`${key}/${path}`] || !/^\d+\.\d+\.\d+/.test(spec)) continue;
    const parts = name.split("/").pop().split("-");
    const os = parts.find((p) => OS.includes(p));
    const cpu = parts.find((p) => CPU.includes(p));
    if (!os || !cpu) continue;
    const libc = parts.some((p) => p.startsWith("musl")) ? ["musl"] : parts.some((p) => p.startsWith("gnu")) ? ["glibc"] : undefined;
    lock.packages[path] = { version: spec, ...(entry.dev ? { dev: true } : {}), optional: true, os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
    added++;
  }
}
if (added) {
  lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b))));
  writeFileSync(FILE, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`complete-lockfile: added ${added} platform-specific optional entries to package-lock.json`);
}
