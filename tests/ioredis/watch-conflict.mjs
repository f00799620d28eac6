// Optimistic locking through ioredis against a ReplDash master: usage `node watch-conflict.mjs <port>`.
// A WATCHed key written by another connection before EXEC must make exec() resolve to null (nothing ran);
// without a conflicting write the same transaction must commit. Prints one line per case and exits 0 only
// when both behave as Redis does.
import Redis from "ioredis";

const port = Number(process.argv[2]);
const options = { host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false };
const me = new Redis(options);
const other = new Redis(options);
let failed = false;

function check(name, ok, detail) {
  console.log(`${ok ? "ok" : "FAIL"} ${name} ${JSON.stringify(detail)}`);
  if (!ok) failed = true;
}

try {
  await me.connect();
  await other.connect();
  const key = `ioredis:watch:${process.pid}`;

  await me.set(key, "0");
  await me.watch(key);
  await other.set(key, "theirs");
  const aborted = await me.multi().set(key, "mine").incr(`${key}:runs`).exec();
  check("conflict-aborts", aborted === null, aborted);
  check("conflict-kept-their-write", (await me.get(key)) === "theirs", await me.get(key));
  check("conflict-ran-nothing", (await me.exists(`${key}:runs`)) === 0, await me.exists(`${key}:runs`));

  await me.watch(key);
  const committed = await me.multi().set(key, "mine").incr(`${key}:runs`).exec();
  check("no-conflict-commits", Array.isArray(committed) && committed[0][1] === "OK" && committed[1][1] === 1, committed);
  check("no-conflict-wrote", (await me.get(key)) === "mine", await me.get(key));
} catch (error) {
  check("exception", false, String(error));
} finally {
  me.disconnect();
  other.disconnect();
}
process.exit(failed ? 1 : 0);
