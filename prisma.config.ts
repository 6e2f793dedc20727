// Prisma CLI configuration. The CLI runs its wasm schema engine through the
// same driver adapter the app uses, so no engine binary is ever downloaded.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { sqliteUrl } from "./app/db-url";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => new PrismaLibSQL({ url: sqliteUrl(process.env.DATABASE_URL) }),
});
