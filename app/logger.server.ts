// The web process's logger: JSON lines, secrets and personal data redacted
// (see app/logging/logger.ts). The worker process creates its own.
import { createLogger } from "./logging/logger";

export const logger = createLogger({ base: { process: "web" } });
