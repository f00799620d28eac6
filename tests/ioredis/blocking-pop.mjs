// ioredis against ReplDash: BLPOP on one connection, served by an LPUSH on another.
// Usage: node blocking-pop.mjs <port> <key>
// Prints "served <json reply> pushed_length=<n>" and exits 0, or prints the error and exits 1.
import { Redis } from 'ioredis';

const port = Number(process.argv[2]);
const key = process.argv[3] ?? 'ioredis:blocking';
const options = { host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => null };
const waiter = new Redis(options);
const pusher = new Redis(options);

try {
  const served = waiter.blpop(key, 0);
  // Push only once the server reports the client blocked, so the push is what serves it.
  for (let attempt = 0; ; attempt++) {
    const clients = await pusher.info('clients');
    if (/^blocked_clients:1\r?$/m.test(clients)) break;
    if (attempt > 600) throw new Error(`the BLPOP never blocked: ${clients}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const length = await pusher.lpush(key, 'from-ioredis');
  const reply = await served;
  console.log(`served ${JSON.stringify(reply)} pushed_length=${length}`);
  process.exitCode = 0;
} catch (error) {
  console.log(`error ${error?.message ?? error}`);
  process.exitCode = 1;
} finally {
  waiter.disconnect();
  pusher.disconnect();
}
