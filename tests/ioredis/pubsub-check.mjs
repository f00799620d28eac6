// ioredis against ReplDash: pub/sub from the master to a subscriber on a slave (RESP2 and RESP3), RESP3 replies,
// ROLE. Usage: node pubsub-check.mjs <masterPort> <slavePort>. Prints "ok <check>" per check; exits 1 on the first failure.
import Redis from "ioredis";
import assert from "node:assert/strict";

const [masterPort, slavePort] = process.argv.slice(2).map(Number);
const options = (port, extra) => ({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 1, ...extra });
const opened = [];

async function connect(port, extra) {
  const client = new Redis(options(port, extra));
  opened.push(client);
  await client.connect();
  return client;
}

function nextMessage(subscriber, event) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within 20 s`)), 20_000);
    subscriber.once(event, (...args) => { clearTimeout(timer); resolve(args); });
  });
}

async function check(name, body) {
  await body();
  console.log(`ok ${name}`);
}

try {
  for (const protocol of [2, 3]) {
    await check(`resp${protocol} publish on master reaches subscriber on slave`, async () => {
      const publisher = await connect(masterPort, { protocol });
      const subscriber = await connect(slavePort, { protocol });
      assert.equal(await subscriber.subscribe(`io:events:${protocol}`), 1);
      assert.equal(await subscriber.psubscribe(`io:p${protocol}:*`), 2);
      const message = nextMessage(subscriber, "message");
      await publisher.set(`io:value:${protocol}`, "v1");
      await publisher.publish(`io:events:${protocol}`, "changed");
      assert.deepEqual(await message, [`io:events:${protocol}`, "changed"]);
      const pmessage = nextMessage(subscriber, "pmessage");
      await publisher.publish(`io:p${protocol}:x`, "by pattern");
      assert.deepEqual(await pmessage, [`io:p${protocol}:*`, `io:p${protocol}:x`, "by pattern"]);
    });
  }

  await check("resp3 replies as maps and sets with replyMapping resp3", async () => {
    const client = await connect(masterPort, { protocol: 3, replyMapping: "resp3" });
    await client.del("io:h");
    await client.hset("io:h", "f", "v");
    assert.deepEqual(await client.hgetall("io:h"), { f: "v" });
    assert.deepEqual(await client.config("GET", "maxclients"), { maxclients: "10000" });
    assert.match(await client.client("INFO"), /resp=3/);
    assert.equal(await client.get("io:missing"), null);
  });

  await check("role on master and slave", async () => {
    const master = await connect(masterPort, { protocol: 2 });
    const slave = await connect(slavePort, { protocol: 2 });
    const masterRole = await master.role();
    assert.equal(masterRole[0], "master");
    assert.equal(masterRole[2].length, 2);
    const slaveRole = await slave.role();
    assert.deepEqual(slaveRole.slice(0, 4), ["slave", "127.0.0.1", masterPort, "connected"]);
  });
} catch (error) {
  console.log(`fail ${error.stack ?? error}`);
  process.exitCode = 1;
} finally {
  for (const client of opened) client.disconnect();
}
