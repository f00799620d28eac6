#!/usr/bin/env node
// Connects to ReplDash's SignalR hub (/hubs/cluster, JSON protocol), prints every `snapshot` and `event`
// the server pushes and, when it stops, one summary line with the snapshot rate it measured.
//
//   node hub-client.mjs [hub-url] [--seconds N] [--clients K] [--quiet] [--min-rate R]
//
//   hub-url      default http://127.0.0.1:5000/hubs/cluster
//   --seconds N  stop after N seconds (default: run until Ctrl+C)
//   --clients K  open K independent connections (load for bench/dashboard.sh); only the first one prints
//   --quiet      print no line per message, only `connected` and the summary
//   --min-rate R exit with code 3 when any connection received fewer than R snapshots per second
//
// The hub needs a Viewer: set REPLDASH_API_KEY to an API key (made on the Users page, or ReplDash:Admin:ApiKey at
// first start). It goes in the environment rather than on the command line, where `ps` would show it.
//
// Output, one line per message (the tests and the benchmark read these):
//   connected clients=K
//   snapshot <takenAt> <node>:<state>:<binlogEnd> ...  age=<ms from the server's read to now>
//   event #<id> <timeUtc> <nodeId> <kind> <message>
//   summary clients=K seconds=S snapshots=N events=E rate=R min_rate=R max_gap_ms=G
// rate: snapshots per second per connection, counted from `connected` to the stop (the snapshot the hub
// sends on connect is not counted); min_rate: the slowest connection's; max_gap_ms: the longest time
// between two snapshots on any connection.
import * as signalR from "@microsoft/signalr";

const options = parseArguments(process.argv.slice(2));
const apiKey = process.env.REPLDASH_API_KEY || "";
const connections = [];
const stats = [];
let stopping = false;

for (let i = 0; i < options.clients; i++) {
  const stat = { received: 0, events: 0, last: 0, maxGapMs: 0 };
  const connection = new signalR.HubConnectionBuilder()
    // The key travels as `Authorization: Bearer` (Node) or `access_token` in the URL (browsers, where a WebSocket
    // cannot carry headers); the hub accepts both.
    .withUrl(options.url, {
      transport: signalR.HttpTransportType.WebSockets,
      skipNegotiation: true,
      accessTokenFactory: apiKey ? () => apiKey : undefined,
    })
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  const printing = i === 0 && !options.quiet;

  connection.on("snapshot", (message) => {
    const now = Date.now();
    stat.received++;
    if (stat.last > 0) stat.maxGapMs = Math.max(stat.maxGapMs, now - stat.last);
    stat.last = now;
    if (printing) {
      const nodes = message.nodes.map((n) => `${n.id}:${n.state}:${n.binlogEnd}`).join(" ");
      console.log(`snapshot ${message.takenAt} ${nodes} age=${now - message.takenAtUnixMs}`);
    }
  });
  connection.on("event", (e) => {
    stat.events++;
    if (printing) console.log(`event #${e.id} ${e.timeUtc} ${e.nodeId} ${e.kind} ${e.message.replace(/\s+/g, " ")}`);
  });
  connection.onclose((error) => {
    if (!stopping) {
      console.error(`connection ${i} closed${error ? ": " + error.message : ""}`);
      process.exitCode = 1;
    }
  });
  connections.push(connection);
  stats.push(stat);
}

try {
  await Promise.all(connections.map((c) => c.start()));
} catch (error) {
  const hint = apiKey ? "" : " (no REPLDASH_API_KEY set: the hub needs an API key)";
  console.error(`could not connect to ${options.url}: ${error.message}${hint}`);
  process.exit(1);
}
const startedAt = Date.now();
console.log(`connected clients=${options.clients}`);

process.on("SIGINT", stop);
process.on("SIGTERM", stop);
const timer = options.seconds > 0 ? setTimeout(stop, options.seconds * 1000) : null;

async function stop() {
  if (stopping) return;
  stopping = true;
  clearTimeout(timer);
  const seconds = (Date.now() - startedAt) / 1000;
  await Promise.allSettled(connections.map((c) => c.stop()));
  // The hub sends one snapshot on connect, outside its ticks: not counted in the rate.
  const ticks = stats.map((s) => Math.max(0, s.received - 1));
  const rates = ticks.map((n) => n / seconds);
  const total = ticks.reduce((sum, n) => sum + n, 0);
  const summary = {
    clients: options.clients,
    seconds: seconds.toFixed(2),
    snapshots: total,
    events: stats[0].events,
    rate: (total / options.clients / seconds).toFixed(2),
    min_rate: Math.min(...rates).toFixed(2),
    max_gap_ms: Math.max(...stats.map((s) => s.maxGapMs)),
  };
  console.log("summary " + Object.entries(summary).map(([k, v]) => `${k}=${v}`).join(" "));
  if (options.minRate > 0 && Math.min(...rates) < options.minRate) {
    console.error(`slowest connection received ${Math.min(...rates).toFixed(2)} snapshots/s, below ${options.minRate}`);
    process.exitCode = 3;
  }
  // Explicitly: a signal handler replaced Node's default exit, and the client may hold timers.
  process.exit();
}

function parseArguments(args) {
  const result = { url: "http://127.0.0.1:5000/hubs/cluster", seconds: 0, clients: 1, quiet: false, minRate: 0 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = Number(args[++i]);
      if (!Number.isFinite(v) || v < 0) usage(`${arg} needs a number`);
      return v;
    };
    if (arg === "--seconds") result.seconds = value();
    else if (arg === "--clients") result.clients = Math.max(1, Math.floor(value()));
    else if (arg === "--min-rate") result.minRate = value();
    else if (arg === "--quiet") result.quiet = true;
    else if (arg === "--help" || arg === "-h") usage();
    else if (!arg.startsWith("--")) result.url = arg;
    else usage(`unknown option ${arg}`);
  }
  return result;
}

function usage(problem) {
  if (problem) console.error(problem);
  console.error("usage: node hub-client.mjs [hub-url] [--seconds N] [--clients K] [--quiet] [--min-rate R]");
  process.exit(problem ? 2 : 0);
}
