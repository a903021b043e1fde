import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";

/** Runs terraform in a folder; resolves with the exit code and the tail of what it printed. */
export function terraform(binary: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv, log: string, stdoutFile?: string): Promise<{ code: number; tail: string }> {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const logStream = createWriteStream(log, { flags: "a" });
    logStream.write(`$ terraform ${args.join(" ")}\n`);
    const out = stdoutFile ? createWriteStream(stdoutFile) : logStream;
    let tail = "";
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on("data", (chunk: Buffer) => {
      out.write(chunk);
      if (!stdoutFile) keep(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      logStream.write(chunk);
      keep(chunk);
    });
    child.on("close", (code) => {
      const done = () => resolve({ code: code ?? 1, tail });
      if (stdoutFile) (out as ReturnType<typeof createWriteStream>).end(() => logStream.end(done));
      else logStream.end(done);
    });
  });
}

/** The first lines of Terraform's error output that say what is wrong. */
export function errorLines(tail: string, max = 6): string {
  const lines = tail.split("\n").map((l) => l.replace(/^[│╷╵]\s?/, "").trimEnd()).filter(Boolean);
  const start = lines.findIndex((l) => l.startsWith("Error"));
  return (start >= 0 ? lines.slice(start) : lines.slice(-max)).slice(0, max).join("\n      ");
}
