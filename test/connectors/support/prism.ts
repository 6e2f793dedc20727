// Starts Stoplight Prism (installed as a dev dependency) as a mock of an
// OpenAPI contract on a free loopback port. With --errors, a request that
// breaks the contract gets a 422 listing each offending field.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";

export interface PrismServer {
  url: string;
  stop(): Promise<void>;
  log(): string;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.on("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const a = srv.address();
      srv.close(() => done(typeof a === "object" && a ? a.port : 0));
    });
  });
}

export async function startPrism(specPath: string, timeoutMs = 60_000): Promise<PrismServer> {
  const port = await freePort();
  const bin = resolve("node_modules/.bin/prism");
  let output = "";
  const child: ChildProcess = spawn(bin, ["mock", "-h", "127.0.0.1", "-p", String(port), "--errors", specPath], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (output = (output + d).slice(-20_000)));
  child.stderr!.on("data", (d) => (output = (output + d).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prism exited (${child.exitCode}):\n${output.slice(-2000)}`);
    try {
      await fetch(`${url}/`); // any HTTP answer means it is listening
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`prism did not start within ${timeoutMs} ms:\n${output.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return {
    url,
    log: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
