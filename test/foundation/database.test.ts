import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../testkit/db";

describe("committed migrations", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.cleanup());

  it("create every table the app writes to", async () => {
    await db.prisma.shopSettings.create({ data: { shop: "a.myshopify.com" } });
    const row = await db.prisma.shopSettings.findUniqueOrThrow({ where: { shop: "a.myshopify.com" } });
    expect(row.externalIdPrefix).toBe("shopify-");
    expect(await db.prisma.orderSync.count()).toBe(0);
    expect(await db.prisma.webhookEvent.count()).toBe(0);
  });
});
