// Starts a seeded throwaway Tryton for manual trials and prints how to reach
// it; Ctrl-C stops it and deletes its database.
//   npx tsx is not installed; run: node_modules/.bin/node scripts/tryton/start.ts
// Node runs .ts files directly but needs the extension; tsc refuses it in a
// static import, hence the typed dynamic import.
const { startTryton }: typeof import("./tryton-server") = await import(new URL("./tryton-server.ts", import.meta.url).href);

const server = await startTryton();
console.log(
  JSON.stringify(
    { url: server.url, database: server.database, username: server.username, password: server.password, companyId: server.companyId, log: server.logFile },
    null,
    2,
  ),
);
console.log("Tryton is running. Press Ctrl-C to stop it.");
const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
