#!/usr/bin/env node
// Browser side of bench/dashboard.sh, driving Debian's Chromium with playwright-core (no browser download).
//
//   node page-probe.mjs tabs    --url U --tabs N
//       opens N Overview tabs, prints `ready tabs=N` once every tab shows m1's binlog end, then keeps them
//       open (live, updated by the server) until SIGTERM; then prints `summary tabs=N live=L min_changes=C`
//       (live: tabs whose binlog-end-m1 changed at least once, i.e. whose circuit was connected).
//   node page-probe.mjs latency --url U --resp-port P [--samples S]
//       write-to-DOM delay: S times, one SET to m1 over a raw RESP socket, then the time until the Overview's
//       binlog-end-m1 element changes. Prints one `latency ...` line.
//   node page-probe.mjs trickle --resp-port P --seconds S [--per-second W]
//       about W SETs a second to m1 for S seconds (no browser).
//   node page-probe.mjs observe --url U --seconds S
//       read-to-DOM delay under whatever load runs meanwhile: for every change of binlog-end-m1, the time
//       since the server read the status it shows (data-taken-at-ms). Prints one `observe ...` line.
//
// Sign-in: every browser context first signs in as admin through /login's form (REPLDASH_USER, default admin, and
// REPLDASH_PASSWORD from the environment, never the command line), as a person would; its tabs share the cookie.
//
// Timestamps: the page stamps a change with performance.timeOrigin + performance.now() inside a
// MutationObserver callback (a microtask right after Blazor applied the render batch to the DOM, before
// paint). Node stamps a write the same way just before the socket write. Both are milliseconds since 1970
// from the same machine's clock (each process fixes its origin from the wall clock once, then counts with
// the monotonic clock), so their difference is a delay; the error is the wall-clock adjustment between the
// two origins (NTP slewing: microseconds over a run) plus the browser's timer coarsening (0.1 ms).
// The server's data-taken-at-ms is DateTimeOffset.UtcNow at the read, the same clock again, 1 ms resolution.
import net from "node:net";
import { chromium } from "playwright-core";

const mode = process.argv[2];
const options = parseArguments(process.argv.slice(3));
const now = () => performance.timeOrigin + performance.now();


// A browser context signed in through the sign-in page's form (with its anti-forgery token).
async function signedInContext() {
  const user = process.env.REPLDASH_USER || "admin";
  const password = process.env.REPLDASH_PASSWORD;
  if (!password) throw new Error("REPLDASH_PASSWORD is not set: the dashboard needs a sign-in (issue 15)");
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(new URL("login", options.url).toString());
  await page.getByTestId("login-user").fill(user);
  await page.getByTestId("login-password").fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/login" || url.searchParams.has("error")),
    page.getByTestId("login-submit").click(),
  ]);
  const landed = new URL(page.url());
  if (landed.pathname === "/login") throw new Error(`sign-in as ${user} failed (${landed.searchParams.get("error")})`);
  await page.close();
  return context;
}

async function openOverview(context) {
  const page = await context.newPage();
  await page.goto(options.url);
  // Interactive once the circuit is up: wait for the Blazor reconnect/loader state to settle on the text.
  await page.getByTestId("binlog-end-m1").waitFor();
  await page.waitForFunction(() => window.Blazor !== undefined);
  return page;
}

async function tabs() {
  const context = await signedInContext();
  const pages = [];
  for (let i = 0; i < options.tabs; i++) {
    const page = await openOverview(context);
    // Counts the renders that reached this tab, to prove at the end that every circuit was live.
    await page.evaluate(() => {
      window.binlogEndChanges = 0;
      const element = () => document.querySelector('[data-testid="binlog-end-m1"]');
      let last = element()?.textContent;
      new MutationObserver(() => {
        const text = element()?.textContent;
        if (text !== last) window.binlogEndChanges++;
        last = text;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    pages.push(page);
  }
  console.log(`ready tabs=${pages.length}`);
  await new Promise((resolve) => {
    process.on("SIGTERM", resolve);
    process.on("SIGINT", resolve);
  });
  const changes = await Promise.all(pages.map((p) => p.evaluate(() => window.binlogEndChanges)));
  console.log(`summary tabs=${pages.length} live=${changes.filter((c) => c > 0).length} min_changes=${Math.min(...changes)}`);
}

// A steady trickle of writes (so that the status changes on every poll) for the server-CPU comparison.
async function trickle() {
  const resp = await RespWriter.connect(options.respPort);
  const end = Date.now() + options.seconds * 1000;
  for (let i = 0; Date.now() < end; i++) {
    await resp.set(`bench:trickle:${i % 100}`, String(i));
    await sleep(1000 / options.perSecond);
  }
  resp.close();
}

// Installs the observer; every change of m1's binlog end is reported as { text, domMs, takenAtMs }.
async function watch(page, onChange) {
  await page.exposeFunction("reportBinlogEndChange", onChange);
  await page.evaluate(() => {
    const read = () => document.querySelector('[data-testid="binlog-end-m1"]')?.textContent ?? "";
    let last = read();
    new MutationObserver(() => {
      const text = read();
      if (text === last) return;
      last = text;
      const domMs = performance.timeOrigin + performance.now();
      const takenAtMs = Number(document.querySelector('[data-testid="snapshot-time"]')?.getAttribute("data-taken-at-ms"));
      window.reportBinlogEndChange({ text, domMs, takenAtMs });
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

async function latency() {
  const context = await signedInContext();
  const page = await openOverview(context);
  let waiter = null;
  await watch(page, (change) => waiter?.(change));
  const nextChange = () => new Promise((resolve) => (waiter = resolve));
  const resp = await RespWriter.connect(options.respPort);

  // Warm-up: proves the circuit is live (a change arrives) and lets the JIT settle.
  for (let i = 0; i < 5; i++) {
    const change = nextChange();
    await resp.set(`bench:dom:warm:${i}`, "w");
    await withTimeout(change, 10_000, "the Overview to follow a write (is the circuit connected?)");
  }

  const writeToDom = [];
  const readToDom = [];
  const ack = [];
  for (let i = 0; i < options.samples; i++) {
    // A random pause so that writes do not lock into the 250 ms poll's phase.
    await sleep(Math.random() * 250);
    const change = nextChange();
    const writtenMs = now();
    await resp.set(`bench:dom:${i}`, String(i));
    ack.push(now() - writtenMs);
    const seen = await withTimeout(change, 10_000, `sample ${i} to reach the DOM`);
    writeToDom.push(seen.domMs - writtenMs);
    readToDom.push(seen.domMs - seen.takenAtMs);
  }
  resp.close();
  console.log(["latency", `samples=${options.samples}`, ...stats("write_dom", writeToDom), ...stats("read_dom", readToDom),
    ...stats("ack", ack)].join(" "));
}

async function observe() {
  const context = await signedInContext();
  const page = await openOverview(context);
  const readToDom = [];
  await watch(page, (change) => readToDom.push(change.domMs - change.takenAtMs));
  await sleep(options.seconds * 1000);
  console.log(["observe", `changes=${readToDom.length}`, ...stats("read_dom", readToDom)].join(" "));
}

function stats(name, values) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))] : NaN;
  return [`${name}_p50=${rank(0.5).toFixed(1)}`, `${name}_p99=${rank(0.99).toFixed(1)}`, `${name}_max=${rank(1).toFixed(1)}`];
}

// Just enough RESP to send SET and wait for its +OK: the timing must not include a client library's queues.
class RespWriter {
  static connect(port) {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: "127.0.0.1", port, noDelay: true }, () => resolve(new RespWriter(socket)));
      socket.once("error", reject);
    });
  }

  constructor(socket) {
    this.socket = socket;
    this.buffer = "";
    this.pending = null;
    socket.on("data", (data) => {
      this.buffer += data.toString("latin1");
      const end = this.buffer.indexOf("\r\n");
      if (end < 0 || !this.pending) return;
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const { resolve, reject } = this.pending;
      this.pending = null;
      line === "+OK" ? resolve() : reject(new Error(`SET answered ${line}`));
    });
  }

  set(key, value) {
    const parts = ["SET", key, value];
    const frame = `*${parts.length}\r\n` + parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join("");
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(frame);
    });
  }

  close() {
    this.socket.destroy();
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([promise, new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)))])
    .finally(() => clearTimeout(timer));
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function parseArguments(args) {
  const result = { url: "http://127.0.0.1:5000/", tabs: 20, respPort: 6380, samples: 100, seconds: 10, perSecond: 50 };
  for (let i = 0; i < args.length; i += 2) {
    const [name, value] = [args[i], args[i + 1]];
    if (name === "--url") result.url = value;
    else if (name === "--tabs") result.tabs = Number(value);
    else if (name === "--resp-port") result.respPort = Number(value);
    else if (name === "--samples") result.samples = Number(value);
    else if (name === "--seconds") result.seconds = Number(value);
    else if (name === "--per-second") result.perSecond = Number(value);
    else throw new Error(`unknown option ${name}`);
  }
  return result;
}

// Last, so that every class and function above is initialised before it runs.
const browser = mode === "trickle" ? null : await chromium.launch({
  executablePath: "/usr/bin/chromium",
  headless: true,
  // This script decides what a signal means (`tabs` reports before closing), not Playwright.
  handleSIGTERM: false,
  handleSIGINT: false,
  // The machine has no network: without these Chromium keeps trying to reach the internet.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    // Background tabs must keep rendering like a watched dashboard: no timer throttling in hidden pages.
    "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"],
});
try {
  if (mode === "tabs") await tabs();
  else if (mode === "latency") await latency();
  else if (mode === "observe") await observe();
  else if (mode === "trickle") await trickle();
  else throw new Error(`unknown mode '${mode}' (tabs, latency, observe, trickle)`);
} catch (error) {
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await browser?.close();
}
// Explicitly: the signal handlers of `tabs` replaced Node's default exit.
process.exit();
