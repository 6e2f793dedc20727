// `npm run db:generate-postgres`: rewrites prisma/postgres/schema.prisma from
// prisma/schema.prisma. `npm run db:new-migration` does this for you; the
// drift test (test/postgres/schema-drift.test.ts) fails while it is stale.
import path from "node:path";
import { writePostgresSchema } from "./postgres-schema";
import { PROJECT_ROOT } from "./prisma-cli";

console.log(`wrote ${path.relative(PROJECT_ROOT, writePostgresSchema(PROJECT_ROOT))}`);
