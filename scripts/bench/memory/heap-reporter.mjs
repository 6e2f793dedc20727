/* global process, setInterval */
// Loaded into the measured processes by bench:memory (node --import): every
// 200 ms it appends this process's process.memoryUsage() to the file
// MEMORY_REPORT_FILE names (and V8's committed heap and malloc'd memory), so
// the bench can report heap as well as the
// resident size it reads from /proc. Nothing else: a few hundred bytes of
// heap and one timer, unref'd so it never keeps the process alive.
import { appendFileSync, writeFileSync } from "node:fs";
import v8 from "node:v8";

const file = process.env.MEMORY_REPORT_FILE;
if (file) {
  writeFileSync(file, "");
  const report = () => {
    const m = process.memoryUsage();
    const h = v8.getHeapStatistics();
    // Then V8's own view: committed heap pages and V8's malloc'd memory, to tell V8 from native allocations.
    appendFileSync(file, `${Date.now()} ${m.rss} ${m.heapTotal} ${m.heapUsed} ${m.external} ${m.arrayBuffers} ${h.total_physical_size} ${h.malloced_memory}\n`);
  };
  report();
  setInterval(report, 200).unref();
}
