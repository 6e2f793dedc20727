// Demo mode's safety rules, as plain functions so a test can prove them:
// the demo never runs in production, never listens beyond this machine and
// never addresses a real shop. Each refusal says what to do instead.
import { isIP } from "node:net";

export const DEMO_SHOP = "demo-shop.myshopify.com";

const LOOPBACK_NAMES = new Set(["127.0.0.1", "::1", "localhost"]);

export class DemoRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DemoRefusal";
  }
}

/** True only for addresses that never leave this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (LOOPBACK_NAMES.has(h)) return true;
  // The whole 127.0.0.0/8 block is loopback.
  return isIP(h) === 4 && h.startsWith("127.");
}

export interface DemoEnvironment {
  nodeEnv: string | undefined;
  host: string;
  shop: string;
}

/** Throws DemoRefusal when the demo must not start. */
export function assertDemoMayRun(env: DemoEnvironment): void {
  if (env.nodeEnv === "production") {
    throw new DemoRefusal(
      "The demo does not run with NODE_ENV=production: it uses made-up credentials and a fake Shopify. Unset NODE_ENV and run `npm run demo` again.",
    );
  }
  if (!isLoopbackHost(env.host)) {
    throw new DemoRefusal(
      `The demo only listens on this machine (127.0.0.1), not on "${env.host}": its pages accept made-up session tokens. Remove DEMO_HOST or set it to 127.0.0.1.`,
    );
  }
  if (env.shop !== DEMO_SHOP) {
    throw new DemoRefusal(`The demo only serves its own made-up shop ${DEMO_SHOP}, never "${env.shop}".`);
  }
}
