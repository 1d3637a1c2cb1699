// Start-up of a page on a simulated slow phone (issue 16, part 1): Debian's
// Chromium through Playwright, with the network and CPU throttled over the
// DevTools protocol — 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip,
// CPU 4× slower — and a cold cache on every run. Prints, per run and as the
// median of the runs, the first contentful paint and the time until the page
// is hydrated (`body[data-hydrated=true]`), both from navigation start.
//
//   node end2end/startup.mjs URL [RUNS]      (RUNS default 5)
//
// Not a test: a benchmark (scripts/startup_bench.sh starts the server).
import { chromium } from "@playwright/test";

const url = process.argv[2];
const runs = Number(process.argv[3] ?? 5);
if (!url) {
  console.error("usage: node end2end/startup.mjs URL [RUNS]");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
});
const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: "ru-RU",
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await page.goto(url, { waitUntil: "commit", timeout: 120_000 });
    await page
      .locator("body[data-hydrated=true]")
      .waitFor({ state: "attached", timeout: 120_000 });
    const t = await page.evaluate(() => {
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      return { fcp: fcp ? fcp.startTime : null, hydrated: performance.now() };
    });
    results.push(t);
    console.log(
      `run ${i + 1}: first contentful paint ${t.fcp?.toFixed(0)} ms, hydrated ${t.hydrated.toFixed(0)} ms`,
    );
    await context.close();
  }
} finally {
  await browser.close();
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const fcp = median(results.map((r) => r.fcp ?? Infinity));
const hydrated = median(results.map((r) => r.hydrated));
console.log(`median of ${runs}: first contentful paint ${fcp.toFixed(0)} ms, hydrated ${hydrated.toFixed(0)} ms`);
console.log(JSON.stringify({ url, runs, fcp_ms: fcp, hydrated_ms: hydrated }));
