/* global process, setInterval */
// Loaded into the measured processes by bench:memory (node --import): every
// 200 ms it appends this process's process.memoryUsage() to the file
// MEMORY_REPORT_FILE names, so the bench can report heap as well as the
// resident size it reads from /proc. Nothing else: a few hundred bytes of
// heap and one timer, unref'd so it never keeps the process alive.
import { appendFileSync, writeFileSync } from "node:fs";

const file = process.env.MEMORY_REPORT_FILE;
if (file) {
  writeFileSync(file, "");
  const report = () => {
    const m = process.memoryUsage();
    appendFileSync(file, `${Date.now()} ${m.rss} ${m.heapTotal} ${m.heapUsed} ${m.external} ${m.arrayBuffers}\n`);
  };
  report();
  setInterval(report, 200).unref();
}
