// Prisma CLI configuration. The CLI runs its wasm schema engine through the
// same driver adapter the app uses, so no engine binary is ever downloaded.
// DATABASE_URL picks the provider (app/db/url.ts): SQLite uses
// prisma/schema.prisma + prisma/migrations, PostgreSQL the generated
// prisma/postgres/schema.prisma + prisma/postgres/migrations.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaPg } from "@prisma/adapter-pg";
import { databaseProviderFor, PRISMA_LAYOUT, sqliteUrl } from "./app/db/url";

const databaseUrl = process.env.DATABASE_URL;
const provider = databaseProviderFor(databaseUrl);
const layout = PRISMA_LAYOUT[provider];

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(...layout.schema.split("/")),
  migrations: { path: path.join(...layout.migrations.split("/")) },
  adapter: async () =>
    provider === "postgresql"
      ? new PrismaPg({ connectionString: databaseUrl! })
      : new PrismaLibSQL({ url: sqliteUrl(databaseUrl) }),
});
